// Whole-month arithmetic on YYYY-MM values (contract: N full years = 12·N months, "满/以上" inclusive).
import { TZDate } from "@date-fns/tz";
// Subpath import: the package index would load all ~250 functions at every start of the CLI.
import { differenceInCalendarMonths } from "date-fns/differenceInCalendarMonths";
import { TIME_ZONE } from "../shared/clock.ts";

const EPOCH = new TZDate(2000, 0, 1, TIME_ZONE);
// A profile batch holds few distinct months, so date-fns parses each once; the bound keeps memory flat.
const cache = new Map<string, number>();
const CACHE_LIMIT = 20_000;

/** Months since 2000-01 of a `YYYY-MM` (or the month of a `YYYY-MM-DD`), computed with date-fns in Asia/Shanghai. */
export function monthIndex(value: string): number {
  // Fast path, no allocation: for years 1000–9999 and months 01–12 the date-fns count is exactly
  // (year − 2000)·12 + month − 1 (checked for every such month). Anything else goes through date-fns.
  const year = digit(value, 0) * 1000 + digit(value, 1) * 100 + digit(value, 2) * 10 + digit(value, 3);
  const month = digit(value, 5) * 10 + digit(value, 6);
  if (year >= 1000 && month >= 1 && month <= 12 && value.charCodeAt(4) === 45 /* - */)
    return (year - 2000) * 12 + month - 1;
  return monthIndexSlow(value);
}

/** The decimal digit at `i`, or NaN (which fails every fast-path comparison) when there is none. */
function digit(value: string, i: number): number {
  const d = value.charCodeAt(i) - 48;
  return d >= 0 && d <= 9 ? d : NaN;
}

function monthIndexSlow(value: string): number {
  const key = value.slice(0, 7);
  const hit = cache.get(key);
  if (hit !== undefined) return hit;
  const year = Number(key.slice(0, 4));
  const month = Number(key.slice(5, 7));
  const index = differenceInCalendarMonths(new TZDate(year, month - 1, 1, TIME_ZONE), EPOCH);
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(key, index);
  return index;
}

/** Whole months from `from` to `to` (negative when `to` is earlier). */
export function monthsBetween(from: string, to: string): number {
  return monthIndex(to) - monthIndex(from);
}

/** The `YYYY-MM` of a month index. */
export function formatMonth(index: number): string {
  const year = 2000 + Math.floor(index / 12);
  const month = index - (year - 2000) * 12 + 1;
  return `${String(year).padStart(4, "0")}-${String(month).padStart(2, "0")}`;
}

/** The later of two `YYYY-MM` values. */
export function laterMonth(a: string, b: string): string {
  return a >= b ? a : b;
}
