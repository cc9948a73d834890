// What is due at an instant: a pure function of (subscriptions, deadlines, sent records, instant).
import type { Level, Region } from "../shared/domain.ts";
import type { DeadlineWithScope } from "../shared/report.ts";
import { chatKey, type ChatRef } from "./chat-ref.ts";
import { deadlinePassesAt, reminderSlots, type ReminderOffset } from "./reminder-schedule.ts";

/** One chat's subscription to a region's deadlines (and one level's, when set). */
export interface Subscription {
  chat: ChatRef;
  region: Region;
  level?: Level;
}

/** A reminder that went out: once per (chat, deadline id, offset). */
export interface SentRecord {
  /** {@link chatKey} of the chat. */
  chat: string;
  deadlineId: string;
  offset: ReminderOffset;
}

/** One message due to one chat: a deadline's reminder slot, its offsets not yet sent. */
export interface DueReminder {
  chat: ChatRef;
  /** {@link chatKey} of the chat. */
  chatKey: string;
  deadline: DeadlineWithScope & { id: string };
  /** The offsets this message stands for, largest first; all are recorded once it is sent. */
  offsets: ReminderOffset[];
  /** When it was scheduled (earlier than the instant asked about: a reminder caught up late). */
  fireAt: Date;
  /** The subscriptions of this chat that bring the deadline (for "how to unsubscribe"). */
  via: Subscription[];
}

/** The key of a sent record. */
export function sentKey(chat: string, deadlineId: string, offset: number): string {
  return `${chat}\n${deadlineId}\n${offset}`;
}

function covers(sub: Subscription, d: DeadlineWithScope): boolean {
  return sub.region === d.region && (sub.level === undefined || d.levels.includes(sub.level));
}

/**
 * The reminders due at `at` and not yet sent, one per (chat, deadline), in chat then deadline order. For each
 * deadline a chat's subscriptions cover:
 * - nothing once the deadline has passed (its printed time; "24:00" and untimed: the end of its day);
 * - otherwise the latest reminder slot that has fired (09:00 Shanghai on the working day on or before 14, 7, 3, 1
 *   and 0 days before), so a reminder missed while nothing ran is sent late, and only the latest one;
 * - only its offsets closer to the deadline than any offset already sent to that chat: a date moved later never
 *   brings back a reminder the chat has had, and one moved earlier brings the one now due.
 */
export function dueReminders(
  subscriptions: readonly Subscription[],
  deadlines: readonly DeadlineWithScope[],
  sent: Iterable<SentRecord>,
  at: Date,
): DueReminder[] {
  const t = at.getTime();
  // The smallest offset already sent per (chat, deadline).
  const closestSent = new Map<string, number>();
  for (const r of sent) {
    const key = `${r.chat}\n${r.deadlineId}`;
    const prev = closestSent.get(key);
    if (prev === undefined || r.offset < prev) closestSent.set(key, r.offset);
  }
  // Each live deadline's latest fired slot, computed once for every chat.
  const live: Array<{
    deadline: DeadlineWithScope & { id: string };
    slot: ReturnType<typeof reminderSlots>[number];
  }> = [];
  for (const d of deadlines) {
    if (d.id === undefined || t >= deadlinePassesAt(d.date, d.time).getTime()) continue;
    const fired = reminderSlots(d.date).filter((s) => s.fireAt.getTime() <= t);
    const slot = fired[fired.length - 1];
    if (slot) live.push({ deadline: { ...d, id: d.id }, slot });
  }
  const byChat = new Map<string, Subscription[]>();
  for (const sub of subscriptions) {
    const key = chatKey(sub.chat);
    byChat.set(key, [...(byChat.get(key) ?? []), sub]);
  }
  const due: DueReminder[] = [];
  for (const [key, subs] of [...byChat].sort(([a], [b]) => a.localeCompare(b))) {
    for (const { deadline, slot } of live) {
      const via = subs.filter((s) => covers(s, deadline));
      const first = via[0];
      if (!first) continue;
      const closest = closestSent.get(`${key}\n${deadline.id}`) ?? Infinity;
      const offsets = slot.offsets.filter((o) => o < closest);
      if (offsets.length === 0) continue;
      due.push({ chat: first.chat, chatKey: key, deadline, offsets, fireAt: slot.fireAt, via });
    }
  }
  return due;
}

/** The next instant after `at` a reminder slot of these deadlines fires (for a timer), or undefined. Pure. */
export function nextFireAt(deadlines: readonly DeadlineWithScope[], at: Date): Date | undefined {
  let next: number | undefined;
  for (const d of deadlines) {
    if (d.id === undefined) continue;
    for (const s of reminderSlots(d.date)) {
      const ms = s.fireAt.getTime();
      if (ms > at.getTime() && (next === undefined || ms < next)) next = ms;
    }
  }
  return next === undefined ? undefined : new Date(next);
}
