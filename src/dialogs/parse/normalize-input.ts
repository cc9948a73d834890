// Cleans a raw chat message before any parsing: width, invisible characters, length.
import { foldForMatch } from "../../knowledge/normalize-text.ts";
import { toSimplifiedChinese } from "../../retrieval/normalize-query.ts";

/** Longest message the parsers look at; the rest is dropped before any regex runs. */
export const MAX_INPUT_CHARS = 500;

/**
 * NFKC-folds (full-width digits and punctuation become ASCII), drops zero-width and control
 * characters, collapses whitespace, lower-cases, makes traditional characters simplified, and caps the length.
 * Idempotent.
 */
export function normalizeInput(text: string): string {
  // Cap before folding too, so a 100 KB message costs no more than a short one.
  let out = foldForMatch(text.slice(0, MAX_INPUT_CHARS * 2));
  out = out.replace(/[\p{Cs}]/gu, "");
  if (out.length > MAX_INPUT_CHARS) out = out.slice(0, MAX_INPUT_CHARS).trim();
  // A cut can leave half a surrogate pair or a trailing space; folding again must not change it.
  // Traditional characters (我能評高級工程師嗎) read as their simplified forms: every cue word is written simplified.
  return toSimplifiedChinese(foldForMatch(out.replace(/[\ud800-\udbff]$/, "")).replace(/[\p{Cs}]/gu, ""));
}

/** True when the text holds something to read: a letter, a digit or a CJK character. */
export function hasReadableContent(text: string): boolean {
  return /[\p{L}\p{N}]/u.test(text);
}
