// Counts of qualifying results: "论文3篇、专利两项" → 5; "没有" answers are read by the yes/no parser.
import { arabicNumerals, parseNumeral } from "./numerals.ts";

// Whole numbers only: "1234篇" is 1234 (asked back as out of range), never its last three digits.
const COUNTED = /(?<![\d.])(\d+)\s*(?:篇|项|个|份|部|本|件)/g;

/** The total count of results the text lists ("发表论文3篇，发明专利2项" → 5), if it lists any. */
export function parseAchievementCount(text: string): number | undefined {
  const t = arabicNumerals(text);
  let total: number | undefined;
  for (const m of t.matchAll(COUNTED)) total = (total ?? 0) + Number(m[1]);
  if (total !== undefined) return total;
  const cleaned = t.replace(/[。.!！]$/, "");
  const bare = /^(\d+)$/.exec(cleaned);
  // "零", "三": a count in words alone.
  return bare ? Number(bare[1]) : parseNumeral(cleaned);
}

/** A number given as a score ("自评85分", "85.5"), if any; range checks are the caller's. */
export function parseScore(text: string): number | undefined {
  const m = /(?<![\d.])(\d+(?:\.\d+)?)\s*分?/.exec(arabicNumerals(text));
  return m ? Number(m[1]) : undefined;
}
