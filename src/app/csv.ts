// RFC 4180 CSV: a streaming reader (quotes, commas and newlines in cells, BOM, CRLF) and a cell encoder.
// https://www.rfc-editor.org/rfc/rfc4180

/**
 * Splits a character stream into records. Quoted cells may hold commas, quotes (doubled) and line breaks; a
 * leading BOM is dropped; CRLF, LF and CR all end a record. Yields records in batches (one per chunk), so a
 * 100,000-row file costs no promise per row. Blank lines yield nothing.
 */
export async function* csvRecords(input: AsyncIterable<string>): AsyncGenerator<string[][]> {
  let record: string[] = [];
  let cell = "";
  let quoted = false;
  /** A quote seen inside a quoted cell: the next character decides (another quote, or the cell's end). */
  let quoteSeen = false;
  let first = true;
  let lastWasCr = false;
  const endRecord = (out: string[][]) => {
    record.push(cell);
    cell = "";
    if (record.length > 1 || record[0] !== "") out.push(record);
    record = [];
  };
  for await (let chunk of input) {
    if (first) {
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      first = chunk.length === 0;
    }
    const out: string[][] = [];
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk.charCodeAt(i);
      if (quoted) {
        if (quoteSeen) {
          quoteSeen = false;
          if (c === 0x22) {
            cell += '"';
            start = i + 1;
            continue;
          }
          quoted = false; // the closing quote; fall through to the unquoted handling of c
        } else {
          if (c === 0x22) {
            cell += chunk.slice(start, i);
            quoteSeen = true;
            start = i + 1;
          }
          continue;
        }
      }
      if (c === 0x2c) {
        record.push(cell + chunk.slice(start, i));
        cell = "";
        start = i + 1;
      } else if (c === 0x0a || c === 0x0d) {
        cell += chunk.slice(start, i);
        start = i + 1;
        if (c === 0x0a && lastWasCr) {
          lastWasCr = false;
          continue;
        }
        lastWasCr = c === 0x0d;
        endRecord(out);
        continue;
      } else if (c === 0x22 && cell === "" && i === start) {
        quoted = true;
        start = i + 1;
      }
      lastWasCr = false;
    }
    if (quoted && !quoteSeen) cell += chunk.slice(start);
    else if (!quoted) cell += chunk.slice(start);
    if (out.length) yield out;
  }
  if (cell !== "" || record.length > 0) {
    const out: string[][] = [];
    endRecord(out);
    if (out.length) yield out;
  }
}

const NEEDS_QUOTES = /[",\r\n]/;
/** Cells Excel would read as a formula; written with a leading apostrophe (CSV injection). */
const FORMULA_START = /^[=+\-@\t\r]/;

/** One cell as CSV: quoted when it holds a comma, quote or line break; a formula-like text is defused. */
export function csvCell(value: string): string {
  const safe = FORMULA_START.test(value) && !/^-?\d/.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One record as a CSV line with CRLF (RFC 4180). */
export function csvLine(cells: readonly string[]): string {
  return `${cells.map(csvCell).join(",")}\r\n`;
}

/** The UTF-8 byte order mark: without it Excel reads a UTF-8 CSV as the local code page and garbles Chinese. */
export const UTF8_BOM = "\ufeff";
