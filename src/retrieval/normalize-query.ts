// Query normalisation: NFKC (full-width forms), traditional -> simplified, invisible characters out.
import * as OpenCC from "opencc-js";
import { normalizeWhitespace } from "../knowledge/normalize-text.ts";

/** Longest question we look at; longer input is cut here before any costly step (100 KB must not hang). */
export const MAX_QUESTION_CHARS = 4000;

type Convert = (text: string) => string;

/** Simplified characters the traditional-to-simplified tables would wrongly change (see `converter`). */
const KEPT_AS_WRITTEN = ["么", "著"] as const;
let toSimplified: Convert | undefined;

// Built lazily: the dictionaries cost a few milliseconds and many callers never need them.
function converter(): Convert {
  if (!toSimplified) {
    // opencc-js's typings do not resolve under every tool (ESM "types" export): state the one call used.
    const { Converter } = OpenCC as unknown as { Converter: (o: { from: string; to: string }) => Convert };
    const fromTw = Converter({ from: "tw", to: "cn" });
    const fromHk = Converter({ from: "hk", to: "cn" });
    // Characters that are already simplified and that OpenCC's Taiwan table would change: 么 is the simplified
    // form of 麼 (什么, 能破格么), which the table reads as a variant of 幺 (and 么 is a stop word, 幺 is not);
    // 著 is kept in simplified writing for 专著, 编著, 软著, which the table turns into the particle 着.
    const convert = (part: string): string => fromHk(fromTw(part));
    const keep = (text: string, chars: readonly string[]): string => {
      const [first, ...rest] = chars;
      if (first === undefined) return convert(text);
      return text
        .split(first)
        .map((part) => keep(part, rest))
        .join(first);
    };
    toSimplified = (text) => keep(text, KEPT_AS_WRITTEN);
  }
  return toSimplified;
}

// Zero-width, bidi and C0/C1 controls (tab and newline become spaces first).
const INVISIBLE =
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u00ad\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff\ufe00-\ufe0f]/gu;

const HTML_TAG = /<\/?[a-zA-Z][a-zA-Z0-9-]{0,20}(\s[^<>]{0,200})?\/?>/g;

/**
 * OpenCC converts by phrase, so its output is not always stable under a second pass (a phrase
 * converted once may read as another traditional phrase): convert until nothing changes, so that
 * normalising is idempotent. Two or three passes at most in practice.
 */
function toFixpoint(convert: Convert, text: string): string {
  let current = text;
  for (let i = 0; i < 4; i++) {
    const next = convert(current);
    if (next === current) break;
    current = next;
  }
  return current;
}

/** Traditional characters made simplified (Taiwan and Hong Kong forms), stable under a second pass. */
export function toSimplifiedChinese(text: string): string {
  return toFixpoint(converter(), text);
}

/**
 * The canonical form of a question: bounded to MAX_QUESTION_CHARS, compatibility forms folded
 * (NFKC turns ５ into 5 and （ into (), traditional characters made simplified, invisible
 * characters dropped and whitespace collapsed. Idempotent; never throws.
 */
export function normalizeQuery(raw: string): string {
  // Array.from keeps surrogate pairs whole when cutting.
  let text =
    raw.length > MAX_QUESTION_CHARS
      ? Array.from(raw.slice(0, MAX_QUESTION_CHARS + 1))
          .slice(0, MAX_QUESTION_CHARS)
          .join("")
      : raw;
  text = text
    // Markup pasted from a web page or a chat client ("<p>公示几天？</p>", "<br>") is not part of the question.
    .replace(HTML_TAG, " ")
    .replace(/[\t\n\r]/g, " ")
    .normalize("NFKC")
    .replace(INVISIBLE, "");
  text = toFixpoint(converter(), text).normalize("NFKC").replace(INVISIBLE, "");
  text = normalizeWhitespace(text);
  // NFKC may lengthen a string (one ligature becomes several letters): bound the result again.
  return text.length > MAX_QUESTION_CHARS
    ? Array.from(text).slice(0, MAX_QUESTION_CHARS).join("").trim()
    : text;
}
