// Working days per the Chinese public-holiday calendar (holidays and 调休 make-up days) from chinese-days.
import chineseDays from "chinese-days";

// The package is CommonJS: its functions hang off the default export under Node ESM.
const { findWorkday, isWorkday } = chineseDays;

/**
 * The latest day a period of `days` working days can start and still end on `end`
 * (inclusive when `end` is itself a working day), counting holidays and make-up working days.
 */
export function latestStartForWorkingDays(end: string, days: number): string {
  // findWorkday(0, d) is d when it is a working day, else the next one; we need the last one on or before.
  const last = isWorkday(end) ? end : findWorkday(-1, end);
  return days <= 1 ? last : findWorkday(-(days - 1), last);
}
