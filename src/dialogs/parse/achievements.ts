// Counts of qualifying results: "论文3篇、专利两项" → 5; "没有" answers are read by the yes/no parser.
import { arabicNumerals } from "./numerals.ts";

const COUNTED = /(\d{1,3})\s*(?:篇|项|个|份|部|本|件)/g;

/** The total count of results the text lists ("发表论文3篇，发明专利2项" → 5), if it lists any. */
export function parseAchievementCount(text: string): number | undefined {
  const t = arabicNumerals(text);
  let total: number | undefined;
  for (const m of t.matchAll(COUNTED)) total = (total ?? 0) + Number(m[1]);
  if (total !== undefined) return total;
  const bare = /^(\d{1,3})$/.exec(t.replace(/[。.!！]$/, ""));
  return bare ? Number(bare[1]) : undefined;
}

/** A number given as a score ("自评85分", "85.5"), if any. */
export function parseScore(text: string): number | undefined {
  const m = /(\d{1,4}(?:\.\d+)?)\s*分?/.exec(arabicNumerals(text));
  const n = m ? Number(m[1]) : undefined;
  return n !== undefined && n >= 0 && n <= 1000 ? n : undefined;
}
