// Education levels as people name them (knowledge/dialog/lexicon.json); 研究生 alone is asked back.
import type { Education } from "../../shared/profile.ts";
import { LEXICON } from "../dialog-lexicon.ts";

/** A parsed education, or the marker that "研究生" could be 硕士 or 博士. */
export type EducationParse = { kind: "value"; value: Education } | { kind: "ambiguous-postgraduate" };

/**
 * The education a text names, if any (`text` already normalised, English words already read as
 * Chinese). The lexicon lists the most specific first: "博士研究生" is a doctorate, "第二学士" no plain bachelor.
 */
export function parseEducation(text: string): EducationParse | undefined {
  for (const [pattern, value] of LEXICON.education) if (pattern.test(text)) return { kind: "value", value };
  if (LEXICON.postgraduate.test(text)) return { kind: "ambiguous-postgraduate" };
  return undefined;
}
