// Sends one chat's reminder of one deadline if it is still due, once: re-checked, claimed, sent, then recorded.
import type { SendTarget } from "../bots/channel-adapter.ts";
import type { Reply } from "../shared/chat.ts";
import type { Clock } from "../shared/clock.ts";
import type { DeadlineWithScope } from "../shared/report.ts";
import { chatKey, sendTarget, type ChatRef } from "./chat-ref.ts";
import { dueReminders, type DueReminder } from "./due-reminders.ts";
import { reminderReply } from "./reminder-text.ts";
import type { SentLog } from "./sent-log.ts";
import type { SubscriptionStore } from "./subscription-store.ts";

/** A proactive send on a channel (`Channels.send`); rejects when the platform refuses or cannot be reached. */
export type SendFn = (channel: string, target: SendTarget, replies: Reply[]) => Promise<void>;

export interface ReminderSenderDeps {
  subscriptions: SubscriptionStore;
  sent: SentLog;
  send: SendFn;
  /** The deadlines as loaded now (a reload changes them). */
  deadlines: () => readonly DeadlineWithScope[];
  clock: Clock;
  /** How long a sender holds a message's claim: longer than a send can take (the platforms time out sooner). */
  claimMs: number;
}

/** What became of one attempt: sent now; no longer due (unsubscribed, sent, passed, gone); another sender has it. */
export type SendOutcome = { kind: "sent"; due: DueReminder } | { kind: "not-due" } | { kind: "claimed" };

/** The default claim: a send (with the adapters' own retries) ends well within it. */
export const DEFAULT_CLAIM_MS = 120_000;

/**
 * Sends the chat's reminder of `deadlineId` if it is due now, once across processes: the due computation runs
 * again on the chat's current subscriptions and records (so an unsubscribe, a reminder sent meanwhile or a passed
 * deadline stops it), the message is claimed, sent, and recorded right after the platform accepted it. A sender
 * that dies between the platform's acceptance and the record lets the claim lapse, and the message may go again
 * (the contract's one exception); a failed send gives the claim up and rejects, for the caller to retry.
 */
export async function sendIfDue(
  chat: ChatRef,
  deadlineId: string,
  deps: ReminderSenderDeps,
): Promise<SendOutcome> {
  const deadline = deps.deadlines().find((d) => d.id === deadlineId);
  if (!deadline) return { kind: "not-due" };
  const key = chatKey(chat);
  const [subs, records] = await Promise.all([
    deps.subscriptions.list(chat),
    deps.sent.forDeadline(key, deadlineId),
  ]);
  const now = deps.clock.now();
  const due = dueReminders(subs, [deadline], records, now)[0];
  if (!due) return { kind: "not-due" };
  if (!(await deps.sent.claim(key, deadlineId, deps.claimMs))) return { kind: "claimed" };
  // Between the due check and the claim another sender may have finished: look again under the claim.
  if (await deps.sent.anySent(key, deadlineId, due.offsets)) return { kind: "not-due" };
  try {
    await deps.send(chat.channel, sendTarget(chat), [reminderReply(due, now)]);
  } catch (err) {
    await deps.sent.release(key, deadlineId).catch(() => undefined);
    throw err;
  }
  await deps.sent.record(key, deadlineId, due.offsets);
  return { kind: "sent", due };
}

/** Every (chat, deadline) with a reminder due now: what a scheduler tick hands to the senders. */
export async function planReminders(
  deps: Pick<ReminderSenderDeps, "subscriptions" | "sent" | "deadlines" | "clock">,
  at: Date = deps.clock.now(),
): Promise<DueReminder[]> {
  const [subs, sent] = await Promise.all([deps.subscriptions.all(), deps.sent.all()]);
  return dueReminders(subs, deps.deadlines(), sent, at);
}
