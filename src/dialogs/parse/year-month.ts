// Year-month mentions: 2019年7月, 19年7月, 2019.7, 2019-07, 2019/07, 去年7月, 三年前, 前年, 2019年.
import { arabicNumerals, parseDurationMonths } from "./numerals.ts";

/** A date as the user gave it: a full month, or a year whose month is still to be asked. */
export type YearMonthMention = { kind: "month"; value: string } | { kind: "year"; year: number };

const pad = (n: number) => String(n).padStart(2, "0");

/** `YYYY-MM` of a year and month, or undefined when out of range. */
function ym(year: number, month: number): string | undefined {
  if (!Number.isInteger(year) || !Number.isInteger(month)) return undefined;
  if (year < 1950 || year > 2100 || month < 1 || month > 12) return undefined;
  return `${year}-${pad(month)}`;
}

/** A two-digit year as people write it in chat: "19年" is 2019, "98年" is 1998. */
function fullYear(y: string, todayYear: number): number {
  const n = Number(y);
  if (y.length === 4) return n;
  return 2000 + n <= todayYear + 1 ? 2000 + n : 1900 + n;
}

/** Moves a `YYYY-MM` back by some months. */
export function monthsBefore(today: string, months: number): string {
  const [y, m] = today.split("-").map(Number) as [number, number];
  const index = y * 12 + (m - 1) - months;
  return `${Math.floor(index / 12)}-${pad((index % 12) + 1)}`;
}

const MAY_NAME_DATE = /[\d年月]/;

const RELATIVE_YEAR: Record<string, number> = { 今年: 0, 去年: 1, 前年: 2, 大前年: 3 };

/**
 * The first year-month the text mentions, relative ones resolved against `today` (YYYY-MM-DD).
 * A bare year ("2019年毕业", "去年") comes back as `kind: "year"` so the month is asked, not guessed.
 */
export function parseYearMonth(text: string, today: string): YearMonthMention | undefined {
  // Every form below needs a digit, 年 or 月; most clauses have none and skip the six scans.
  if (!MAY_NAME_DATE.test(text)) return undefined;
  const t = arabicNumerals(text);
  const todayYear = Number(today.slice(0, 4));
  const todayMonth = Number(today.slice(5, 7));

  const rel = /(大前年|前年|去年|今年)(?:(\d{1,2})\s*月)?/.exec(t);
  // A two-digit year only with 年…月: "85.5" is a score, not May 1985.
  const withMonth =
    /(?<!\d)(\d{4})\s*[年.\-/]\s*(\d{1,2})(?:\s*月|(?![\d.]))|(?<!\d)(\d{2})\s*年\s*(\d{1,2})\s*月/.exec(t);
  // A bare two-digit year only with an event after it: "做了12年" is a duration, "12年毕业" a date.
  const bareYear =
    /(?<!\d)(\d{4})\s*年|(?<!\d)(\d{2})\s*年(?=\s*(?:毕业|入职|入行|参加工作|开始|起|取得|评|拿|获))/.exec(t);
  const compact = /(?<!\d)(19[5-9]\d|20\d\d)(0[1-9]|1[0-2])(?!\d)/.exec(t);
  const ago = /(\d+(?:\.\d+)?\s*年半?|\d+\s*个月|半年)\s*(?:以?前)/.exec(t);

  // Take whichever form appears first in the message.
  const candidates = [rel, withMonth, bareYear, compact, ago].filter((m): m is RegExpExecArray => m !== null);
  candidates.sort((a, b) => a.index - b.index);
  const first = candidates[0];
  if (!first) return undefined;

  if (first === rel) {
    const year = todayYear - (RELATIVE_YEAR[first[1] ?? ""] ?? 0);
    const value = first[2] ? ym(year, Number(first[2])) : undefined;
    return value ? { kind: "month", value } : first[2] ? undefined : { kind: "year", year };
  }
  if (first === withMonth) {
    const value = ym(fullYear(first[1] ?? first[3] ?? "", todayYear), Number(first[2] ?? first[4]));
    return value ? { kind: "month", value } : undefined;
  }
  if (first === bareYear) {
    const year = fullYear(first[1] ?? first[2] ?? "", todayYear);
    return year >= 1950 && year <= 2100 ? { kind: "year", year } : undefined;
  }
  if (first === compact) {
    const value = ym(Number(first[1]), Number(first[2]));
    return value ? { kind: "month", value } : undefined;
  }
  const months = parseDurationMonths(first[1] ?? "");
  if (months === undefined) return undefined;
  return { kind: "month", value: monthsBefore(`${todayYear}-${pad(todayMonth)}`, months) };
}
