// iCalendar export of deadlines (RFC 5545) through the `ics` package; times are Asia/Shanghai.
import { TZDate } from "@date-fns/tz";
import { createEvents, type DateArray, type EventAttributes } from "ics";
import { TIME_ZONE } from "../shared/clock.ts";
import type { Deadline } from "../shared/report.ts";

function dateParts(date: string): [number, number, number] {
  return [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
}

/** The UTC instant of a Shanghai wall-clock time; "24:00" is the end of that day, as notices mean it. */
function utcArray(date: string, time: string): DateArray {
  const [y, m, d] = dateParts(date);
  const t = new TZDate(y, m - 1, d, Number(time.slice(0, 2)), Number(time.slice(3, 5)), TIME_ZONE);
  const u = new Date(t.getTime());
  return [u.getUTCFullYear(), u.getUTCMonth() + 1, u.getUTCDate(), u.getUTCHours(), u.getUTCMinutes()];
}

function nextDay(date: string): DateArray {
  const [y, m, d] = dateParts(date);
  const u = new Date(Date.UTC(y, m - 1, d + 1));
  return [u.getUTCFullYear(), u.getUTCMonth() + 1, u.getUTCDate()];
}

/** DTSTAMP when the caller passes none: fixed, so the same deadlines always give the same file. */
export const DEFAULT_STAMP = new Date("2024-01-01T00:00:00Z");

/**
 * One VCALENDAR with a VEVENT per deadline: all-day when the notice gives no time, else at that instant.
 * Pure: DTSTAMP is `stamp` (pass the injected clock's now) rather than the package's Date.now() default.
 */
export function toIcs(deadlines: readonly Deadline[], stamp: Date = DEFAULT_STAMP): string {
  // `timestamp` (DTSTAMP) is accepted by the package but missing from its type declarations.
  const events: Array<EventAttributes & { timestamp: number }> = deadlines.map((d, i) => {
    const who = d.who ? `【${d.who}】` : "";
    const base = {
      title: `${who}${d.what}`,
      description: `${d.citation.title}${d.citation.docNumber ? `（${d.citation.docNumber}）` : ""} ${d.citation.path}：${d.citation.text}`,
      uid: `${d.docId}-${d.date}-${(d.time ?? "day").replace(":", "")}-${i}@zhicheng`,
      timestamp: stamp.getTime(),
      productId: "zhicheng/deadlines",
      calName: "职称申报截止日期",
    };
    if (d.time) {
      const at = utcArray(d.date, d.time);
      return {
        ...base,
        start: at,
        startInputType: "utc",
        startOutputType: "utc",
        end: at,
        endInputType: "utc",
        endOutputType: "utc",
      };
    }
    return { ...base, start: dateParts(d.date), end: nextDay(d.date) };
  });
  if (events.length === 0) {
    return [
      "BEGIN:VCALENDAR",
      "VERSION:2.0",
      "PRODID:zhicheng/deadlines",
      "CALSCALE:GREGORIAN",
      "END:VCALENDAR",
      "",
    ].join("\r\n");
  }
  const { error, value } = createEvents(events);
  if (error || value === null) throw new Error("iCalendar export failed", { cause: error });
  return value;
}
