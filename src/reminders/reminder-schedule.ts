// When a deadline's reminders fire and when the deadline passes (Asia/Shanghai, the chinese-days working calendar).
import { TZDate } from "@date-fns/tz";
import chineseDays from "chinese-days";
import { TIME_ZONE } from "../shared/clock.ts";

// The package is CommonJS: its functions hang off the default export under Node ESM.
const { isWorkday } = chineseDays;

/** Days before a deadline a reminder goes out (contract): 14, 7, 3, 1 and the day itself. */
export const REMINDER_OFFSETS = [14, 7, 3, 1, 0] as const;
export type ReminderOffset = (typeof REMINDER_OFFSETS)[number];

/** The hour (Asia/Shanghai) reminders go out. */
export const REMINDER_HOUR = 9;

const DAY_MS = 86_400_000;

function parts(day: string): [number, number, number] {
  return [Number(day.slice(0, 4)), Number(day.slice(5, 7)), Number(day.slice(8, 10))];
}

/** `day` moved by `delta` calendar days (plain calendar arithmetic). */
export function addDays(day: string, delta: number): string {
  const [y, m, d] = parts(day);
  return new Date(Date.UTC(y, m - 1, d) + delta * DAY_MS).toISOString().slice(0, 10);
}

/** `day` itself when it is a working day, else the working day before it (statutory holidays and 调休 counted). */
export function workingDayOnOrBefore(day: string): string {
  let current = day;
  // No run of holidays and weekends is anywhere near a year long.
  for (let i = 0; i < 366; i++) {
    if (isWorkday(current)) return current;
    current = addDays(current, -1);
  }
  throw new RangeError(`no working day found on or before ${day}`);
}

/** The instant of a Shanghai wall-clock time on `day` ("24:00" is the end of that day). */
export function shanghaiInstant(day: string, hour: number, minute = 0): Date {
  const [y, m, d] = parts(day);
  return new Date(new TZDate(y, m - 1, d, hour, minute, TIME_ZONE).getTime());
}

/** One message of a deadline's schedule: the offsets that land on one working day, sent together at 09:00. */
export interface ReminderSlot {
  /** `YYYY-MM-DD`, a working day. */
  day: string;
  fireAt: Date;
  /** Largest first (the 7-day and 3-day reminders landing on one day make one message). */
  offsets: ReminderOffset[];
}

/** A deadline's reminder slots, earliest first. Pure (the calendar is data in chinese-days). */
export function reminderSlots(deadlineDate: string): ReminderSlot[] {
  const slots: ReminderSlot[] = [];
  for (const offset of REMINDER_OFFSETS) {
    const day = workingDayOnOrBefore(addDays(deadlineDate, -offset));
    const same = slots.find((s) => s.day === day);
    if (same) same.offsets.push(offset);
    else slots.push({ day, fireAt: shanghaiInstant(day, REMINDER_HOUR), offsets: [offset] });
  }
  return slots.sort((a, b) => a.fireAt.getTime() - b.fireAt.getTime());
}

/**
 * The instant a deadline passes: its printed time on its day ("24:00" and an untimed deadline: the end of the
 * day, as the notices mean it).
 */
export function deadlinePassesAt(date: string, time?: string): Date {
  if (time === undefined) return shanghaiInstant(addDays(date, 1), 0);
  return shanghaiInstant(date, Number(time.slice(0, 2)), Number(time.slice(3, 5)));
}
