// Awards and standards with the applicant's rank: 省部级科技奖、专利金奖/银奖、国家/行业/地方标准.
import type { Award } from "../../shared/profile.ts";
import { arabicNumerals } from "./numerals.ts";

const KINDS: Array<[RegExp, Award["kind"]]> = [
  [/专利金奖|中国专利金/, "china-patent-gold"],
  [/专利银奖|中国专利银/, "china-patent-silver"],
  [
    /(?:省部级|省级|部级|省)[^，,。；;]{0,6}(?:科技|科学技术|进步|技术发明|自然科学)[^，,。；;]{0,4}奖|省部级[^，,。；;]{0,4}奖/,
    "provincial-sci-tech-award",
  ],
  [/国家标准|国标/, "national-standard"],
  [/行业标准|行标/, "industry-standard"],
  [/地方标准|地标/, "local-standard"],
];

// Every award and standard above names one of these; most messages name none, and skip the scans below.
const MAY_NAME_AWARD = /奖|标|专利/;
const KIND_SCANS = KINDS.map(([pattern, kind]) => [new RegExp(pattern.source, "g"), kind] as const);
const RANK_AFTER = /^[^，,。；;]*?(?:排名|排|名列|位列)?\s*第?\s*(\d+)\s*(?:名|位|完成人|作者|起草人)?/;
const RANK_WORD = /排|第|名|位|完成人|作者|起草人/;

/**
 * The awards a text lists, each with the rank named just after it ("排名第2", "第三完成人", "排第1").
 * An award without a rank is returned with `rank: undefined` so the dialog can ask for it.
 */
export function parseAwards(text: string): Array<{ kind: Award["kind"]; rank: number | undefined }> {
  if (!MAY_NAME_AWARD.test(text)) return [];
  const t = arabicNumerals(text);
  const found: Array<{ kind: Award["kind"]; rank: number | undefined; index: number }> = [];
  for (const [scan, kind] of KIND_SCANS) {
    for (const m of t.matchAll(scan)) {
      const rest = t.slice(m.index + m[0].length, m.index + m[0].length + 14);
      const r = RANK_AFTER.exec(rest);
      const rank = r && RANK_WORD.test(r[0]) ? Number(r[1]) : undefined;
      found.push({ kind, rank: rank && rank > 0 ? rank : undefined, index: m.index });
    }
  }
  return found.sort((a, b) => a.index - b.index).map(({ kind, rank }) => ({ kind, rank }));
}

/** A bare rank answer: "第二", "排名第3", "3". */
export function parseRank(text: string): number | undefined {
  const m = /^(?:排名|排)?\s*第?\s*(\d+)\s*(?:名|位|完成人)?$/.exec(
    arabicNumerals(text.replace(/[。.!！]$/, "")),
  );
  const n = m ? Number(m[1]) : undefined;
  return n && n > 0 ? n : undefined;
}
