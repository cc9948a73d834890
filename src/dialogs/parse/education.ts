// Education levels as people name them: 中专、大专/专科、本科/学士、第二学士、硕士、博士; 研究生 is asked back.
import type { Education } from "../../shared/profile.ts";

/** A parsed education, or the marker that "研究生" could be 硕士 or 博士. */
export type EducationParse = { kind: "value"; value: Education } | { kind: "ambiguous-postgraduate" };

// Most specific first: "博士研究生" is a doctorate, "第二学士" is not a plain bachelor.
const PATTERNS: Array<[RegExp, Education]> = [
  [/博士/, "doctorate"],
  [/硕士|研究生\s*[(（]?\s*硕|mba|mpa|工程硕|master/, "master"],
  [/第二学士|双学士|二学位|第二学位/, "second-bachelor"],
  [/本科|学士|大学毕业|bachelor/, "bachelor"],
  [/大专|专科|高职|高专/, "junior-college"],
  [/中专|中职|技校|职高/, "secondary-vocational"],
];

/** The education a text names, if any (`text` already normalised). */
export function parseEducation(text: string): EducationParse | undefined {
  for (const [pattern, value] of PATTERNS) if (pattern.test(text)) return { kind: "value", value };
  if (/研究生/.test(text)) return { kind: "ambiguous-postgraduate" };
  return undefined;
}
