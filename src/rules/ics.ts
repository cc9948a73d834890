// iCalendar export of deadlines (RFC 5545) through the `ics` package; times are Asia/Shanghai.
import { TZDate } from "@date-fns/tz";
import { createEvents, type Alarm, type DateArray, type EventAttributes } from "ics";
import { deadlinePassesAt, reminderSlots, shanghaiInstant } from "../reminders/reminder-schedule.ts";
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

/** The octets a content line may hold before it is folded (RFC 5545 3.1), the line break excluded. */
export const MAX_LINE_OCTETS = 75;

/**
 * Folds every content line at 75 octets (RFC 5545 3.1: "SHOULD NOT be longer than 75 octets, excluding the line
 * break"), a continuation line starting with one space that counts towards its 75, and never inside a UTF-8
 * character. Lines already folded (by characters) are unfolded first.
 */
export function foldIcsLines(text: string): string {
  const unfolded = text.replace(/\r\n[ \t]/g, "");
  const lines = unfolded.split("\r\n");
  const out: string[] = [];
  for (const line of lines) {
    let current = "";
    let octets = 0;
    for (const ch of line) {
      const size = Buffer.byteLength(ch, "utf8");
      if (octets + size > MAX_LINE_OCTETS) {
        out.push(current);
        current = " ";
        octets = 1;
      }
      current += ch;
      octets += size;
    }
    out.push(current);
  }
  return out.join("\r\n");
}

/**
 * The deadline's reminders as VALARMs, at the instants the chat reminders go out: 09:00 Shanghai 14, 7, 3 and 1
 * days before and on the day, each on the working day on or before it, same-day offsets once; none after the
 * deadline has passed. Triggers are relative to the event's start (an all-day event starts at 00:00 Shanghai).
 */
function alarmsOf(d: Deadline, title: string): Alarm[] {
  const start = d.time ? deadlinePassesAt(d.date, d.time) : shanghaiInstant(d.date, 0);
  const passes = deadlinePassesAt(d.date, d.time).getTime();
  return reminderSlots(d.date)
    .filter((s) => s.fireAt.getTime() < passes)
    .map((s) => {
      const minutes = Math.round((start.getTime() - s.fireAt.getTime()) / 60_000);
      const before = minutes >= 0;
      const abs = Math.abs(minutes);
      return {
        action: "display",
        description: title,
        trigger: {
          before,
          days: Math.floor(abs / 1440),
          hours: Math.floor((abs % 1440) / 60),
          minutes: abs % 60,
        },
      };
    });
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
    const title = `${who}${d.what}`;
    const base = {
      title,
      alarms: alarmsOf(d, title),
      description: `${d.citation.title}${d.citation.docNumber ? `（${d.citation.docNumber}）` : ""} ${d.citation.path}：${d.citation.text}`,
      // The deadline's stable id: a calendar that subscribed to the feed moves the event when its date changes.
      uid: d.id
        ? `${d.id}@zhicheng`
        : `${d.docId}-${d.date}-${(d.time ?? "day").replace(":", "")}-${i}@zhicheng`,
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
  return foldIcsLines(value);
}
