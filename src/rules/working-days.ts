// Working days per the Chinese public-holiday calendar (holidays and 调休 make-up days) from chinese-days.
import chineseDays from "chinese-days";

// The package is CommonJS: its functions hang off the default export under Node ESM.
const { isWorkday } = chineseDays;

const DAY_MS = 86_400_000;
/** Calendar days looked back at most: no run of holidays and weekends is anywhere near this long. */
const MAX_LOOKBACK_DAYS = 366;

/** `YYYY-MM-DD` one calendar day earlier (plain calendar arithmetic; no time zone is involved). */
function previousDay(day: string): string {
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d) - DAY_MS).toISOString().slice(0, 10);
}

/** A period of working days: its first and last day (`YYYY-MM-DD`). */
export interface WorkingDayPeriod {
  start: string;
  end: string;
}

/**
 * The latest `days` working days that lie wholly before `day` (statutory holidays and 调休 make-up
 * working days counted). A publicity period that must end without objection before a submission
 * cannot count the submission day itself: the employer submits on or before that day only once
 * the period is over. So the period ends on the last working day before `day` and starts `days`
 * working days earlier; starting on `start` or sooner is the reading that cannot miss.
 */
export function workingDaysBefore(day: string, days: number): WorkingDayPeriod {
  if (!Number.isInteger(days) || days < 1) throw new RangeError(`days must be a positive integer: ${days}`);
  let current = day;
  let end: string | undefined;
  let counted = 0;
  for (let i = 0; i < MAX_LOOKBACK_DAYS + days; i++) {
    current = previousDay(current);
    if (!isWorkday(current)) continue;
    end ??= current;
    counted += 1;
    if (counted === days) return { start: current, end };
  }
  throw new RangeError(`no ${days} working days found before ${day}`);
}
