// Long replies cut into platform-sized messages, at line ends where possible.

/**
 * Splits `text` into pieces whose `measure` (a sum over characters: length, escaped length, UTF-8 bytes) is at
 * most `limit`, breaking after a newline where a piece can end
 * there, else between code points (never inside a surrogate pair). The pieces joined with "\n" (at line breaks)
 * or "" (inside a long line) give the text back; empty pieces are dropped.
 */
export function splitText(
  text: string,
  limit: number,
  measure: (s: string) => number = (s) => s.length,
): string[] {
  const pieces: string[] = [];
  let current = "";
  const flush = () => {
    if (current) pieces.push(current);
    current = "";
  };
  for (const line of text.split("\n")) {
    const joined = current ? `${current}\n${line}` : line;
    if (measure(joined) <= limit) {
      current = joined;
      continue;
    }
    flush();
    if (measure(line) <= limit) {
      current = line;
      continue;
    }
    // One line longer than a message: cut it by code points.
    let part = "";
    let size = 0;
    for (const ch of line) {
      const m = measure(ch);
      if (size + m > limit) {
        pieces.push(part);
        part = "";
        size = 0;
      }
      part += ch;
      size += m;
    }
    current = part;
  }
  flush();
  return pieces;
}
