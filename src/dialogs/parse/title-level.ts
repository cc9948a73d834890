// Title levels as people name them (knowledge/dialog/lexicon.json: 助工、中级、副高/高工、正高、技术员, 无职称).
import type { Level } from "../../shared/domain.ts";
import { LEXICON } from "../dialog-lexicon.ts";

/** A title level, or "none" for 无职称. */
export type TitleLevel = Level | "none";

export interface TitleMention {
  level: TitleLevel;
  /** Where the mention starts and ends in the text, to read the words around it. */
  index: number;
  end: number;
}

// Longest and most specific names first (the lexicon's order), so "正高级工程师" is not read as "高级工程师".
// A bare 工程师 only after a word that makes it a title: "AI工程师" is a job, "是工程师" may be a title.
const NAMES = LEXICON.titles as Array<[RegExp, TitleLevel]>;

// Every name above contains one of these; most clauses contain none, and skip the six scans.
const MAY_NAME_TITLE = /职称|高|助|初级|中级|工程师|技术员|员级/;

/** Every title mention in the text, in order, without overlaps. */
export function findTitleMentions(text: string): TitleMention[] {
  const taken: TitleMention[] = [];
  if (!MAY_NAME_TITLE.test(text)) return taken;
  for (const [pattern, level] of NAMES) {
    for (const m of text.matchAll(pattern)) {
      const index = m.index;
      const end = index + m[0].length;
      if (taken.some((t) => index < t.end && end > t.index)) continue;
      taken.push({ level, index, end });
    }
  }
  return taken.sort((a, b) => a.index - b.index);
}

/** The title series: same specialty (本系列/同专业) or another one. */
export function parseTitleSeries(text: string): "same" | "other" | undefined {
  if (
    /其他系列|其它系列|非本专业|非本系列|跨系列|跨专业|不同系列|别的系列|转系列|其他专业|其它专业|不是本(?:系列|专业)|(?:经济|会计|统计|卫生|教师|农业|审计|出版|翻译|新闻|工艺美术|档案)系列/.test(
      text,
    )
  )
    return "other";
  if (/本系列|同系列|同专业|本专业|相同系列|同一系列|工程系列|人工智能系列|本行业/.test(text)) return "same";
  return undefined;
}
