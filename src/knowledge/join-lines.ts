// Rebuilds the paragraphs of an extracted notice: the extraction broke lines mid-sentence and
// mid-number, added page marks and markup; the outline markers and sentence ends tell us where
// paragraphs really end.
import { normalizeWhitespace } from "./normalize-text.ts";
import { outlineMarker, annexLabel, isAttachmentList, stripBullet } from "./outline-marker.ts";

export interface Paragraph {
  text: string;
  /** [start, end) offsets into the source. */
  start: number;
  end: number;
}

const MARKUP = /\[bookmark:[^\]]*\]/g;
const PAGE_MARK = /^[—–-]\s*\d+\s*[—–-]$/;
const SENTENCE_END = /[。；;！!？?：:]$/;
/** A paragraph that cannot continue: a document number, a date line, a signature. */
const STANDALONE = /(〔\d{4}〕\d+号|^\d{4}年\d{1,2}月\d{1,2}日(印发)?|^[（(][^）)]{1,10}[）)])$/;
/** A title line: no sentence punctuation, ending in the name of a document type. */
const TITLE = /^[^，,。；;：:]{4,80}(通知|办法|方案|条件|细则|意见|（征求意见稿）|\(征求意见稿\))$/;
const CONTINUES = /[、，,（(《“‘\-—]$/;
/** A heading ends on a noun; a line ending on a digit, a date unit or a linking word was cut mid-sentence. */
const CUT_MID_SENTENCE = /[0-9０-９年月为是的和及与或从自至到]$/;
/**
 * Title words the extraction split across a break with the last character repeated
 * ("高级工程师⏎⏎师和正高级工程师"). Only these are repaired: a repeated character is otherwise real.
 */
const SPLIT_TITLE_WORDS = ["工程师", "技术员"];

interface Line {
  text: string;
  start: number;
  end: number;
}

function sourceLines(source: string): Line[] {
  const lines: Line[] = [];
  let offset = 0;
  for (const raw of source.split("\n")) {
    const lineStart = offset;
    offset += raw.length + 1;
    const cleaned = raw.replace(MARKUP, (m) => " ".repeat(m.length));
    const lead = cleaned.length - cleaned.trimStart().length;
    const text = cleaned.trim();
    if (!normalizeWhitespace(text) || PAGE_MARK.test(text)) continue;
    lines.push({ text, start: lineStart + lead, end: lineStart + lead + text.length });
  }
  return lines;
}

/** A marker line that is only a heading ("一、适用范围"): its body starts a new paragraph. */
function isHeadingOnly(text: string): boolean {
  const marker = outlineMarker(text);
  if (!marker) return false;
  const rest = normalizeWhitespace(text.slice(marker.length));
  return (
    rest.length <= 18 &&
    !/[，,。；;]/.test(rest.slice(0, -1)) &&
    !CONTINUES.test(rest) &&
    !CUT_MID_SENTENCE.test(rest)
  );
}

function endsParagraph(previous: string): boolean {
  const text = normalizeWhitespace(previous);
  return (
    SENTENCE_END.test(text) ||
    STANDALONE.test(text) ||
    TITLE.test(text) ||
    isHeadingOnly(text) ||
    annexLabel(text) !== undefined
  );
}

function startsParagraph(line: string): boolean {
  const text = normalizeWhitespace(line);
  return (
    outlineMarker(text) !== undefined ||
    annexLabel(text) !== undefined ||
    isAttachmentList(text) ||
    STANDALONE.test(text)
  );
}

function joinBroken(previous: string, next: string): string {
  const prev = normalizeWhitespace(previous);
  const repeated = SPLIT_TITLE_WORDS.find((w) => prev.endsWith(w) && next.startsWith(w.slice(-1)));
  return `${previous}${repeated ? next.slice(1) : next}`;
}

/** The paragraphs of a notice, whitespace-normalised, with their source offsets. */
export function paragraphsOf(source: string): Paragraph[] {
  const paragraphs: Paragraph[] = [];
  let current: Paragraph | undefined;
  for (const line of sourceLines(source)) {
    if (current && !endsParagraph(current.text) && !startsParagraph(line.text)) {
      current.text = joinBroken(current.text, line.text);
      current.end = line.end;
      continue;
    }
    if (current) paragraphs.push(current);
    current = { ...line };
  }
  if (current) paragraphs.push(current);
  return paragraphs
    .map((p) => ({ ...p, text: stripBullet(normalizeWhitespace(p.text)) }))
    .filter((p) => p.text.length > 0);
}
