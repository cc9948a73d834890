// Whitespace and width normalisation shared by the segmenter and every query path.

const CJK =
  "\\u2e80-\\u9fff\\uf900-\\ufaff\\u3000-\\u303f\\uff00-\\uffef\\u2014\\u2018-\\u201d\\u3008-\\u3011";
const SPACE_NEXT_TO_CJK = new RegExp(`\\s+(?=[${CJK}])|(?<=[${CJK}])\\s+`, "g");
// Zero-width characters, BOM and C0/C1 controls other than ordinary whitespace.
const INVISIBLE =
  /[\u200b-\u200f\u2028-\u202f\u2060-\u206f\ufeff\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f]/g;

/**
 * Chinese text uses no spaces between words: the extraction's spaces next to a CJK character
 * ("2024 年 9月", "四 、") are layout, not words, so they go; runs elsewhere collapse to one.
 */
export function normalizeWhitespace(text: string): string {
  return text.replace(INVISIBLE, "").replace(/\s+/g, " ").replace(SPACE_NEXT_TO_CJK, "").trim();
}

/**
 * Folds full-width forms, compatibility characters and whitespace so that queries and clause
 * text compare equal however they were typed (NFKC maps （一） to (一), ５ to 5).
 */
export function foldForMatch(text: string): string {
  return normalizeWhitespace(text.normalize("NFKC")).toLowerCase();
}
