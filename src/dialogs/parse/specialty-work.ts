// Years in the specialty: "一直做AI" (since graduating) or "做了五年" (counted back from today).
import { arabicNumerals, parseDurationMonths } from "./numerals.ts";

export type SpecialtyWorkParse =
  | { kind: "since-graduation" }
  | { kind: "months"; months: number }
  /** "做了120年": a duration no working life holds, to be asked back. */
  | { kind: "too-long"; years: number };

const SINCE_GRADUATION =
  /一直(?:在|都)?[^，,。；;]{0,4}?(?:做|从事|干|搞)|毕业(?:后|以后|之后)?(?:就|一直)(?:在|都)?(?:做|从事|干|搞)|毕业就(?:做|从事)/;
const DURATION =
  /(?:做|干|从事|从业|工作|搞|入行)[^，,。；;]{0,12}?(?:\d|[零〇一二两三四五六七八九十半])+\s*(?:年半?|个月)|(?:\d|[零〇一二两三四五六七八九十半])+\s*年(?:半|多)?(?:的)?(?:工作)?经验|(?:\d|[零〇一二两三四五六七八九十])+\s*年(?:半|多)?了/;

/** How long the user has worked in the specialty, when the text says (`text` normalised). */
export function parseSpecialtyWork(text: string): SpecialtyWorkParse | undefined {
  if (SINCE_GRADUATION.test(text)) return { kind: "since-graduation" };
  const m = DURATION.exec(text);
  if (!m) return undefined;
  const months = parseDurationMonths(m[0]);
  if (months === undefined) {
    const years = /(\d+)\s*年/.exec(arabicNumerals(m[0]));
    return years ? { kind: "too-long", years: Number(years[1]) } : undefined;
  }
  return months > 0 ? { kind: "months", months } : undefined;
}
