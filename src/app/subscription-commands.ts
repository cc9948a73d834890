// Subscription commands (/subscribe, /unsubscribe, /subscriptions and their plain-Chinese forms) handled around the
// chat turn, before the dialog: a subscription request is a command, never facts about the sender.
import { detectIntent } from "../dialogs/intent.ts";
import { normalizeInput } from "../dialogs/parse/normalize-input.ts";
import { REMINDER_TEXT } from "../i18n/reminder-messages.ts";
import type { ChatRef } from "../reminders/chat-ref.ts";
import { chatKey } from "../reminders/chat-ref.ts";
import { deadlinePassesAt } from "../reminders/reminder-schedule.ts";
import { subscriptionScope } from "../reminders/reminder-text.ts";
import type { SentLog } from "../reminders/sent-log.ts";
import { parseSubscriptionCommand, type SubscriptionCommand } from "../reminders/subscription-command.ts";
import type { SubscriptionStore } from "../reminders/subscription-store.ts";
import type { ChatOutcome, InboundMessage, Reply } from "../shared/chat.ts";
import type { Clock } from "../shared/clock.ts";
import type { Level, Region } from "../shared/domain.ts";
import { regionLabels } from "../shared/regions.ts";
import type { DeadlineWithScope } from "../shared/report.ts";
import type { ChatTurnFn } from "./group-policy.ts";

export interface SubscriptionDeps {
  subscriptions: SubscriptionStore;
  sent: SentLog;
  clock: Clock;
  /** Every deadline (with its region and levels), as the services list them. */
  deadlines: () => readonly DeadlineWithScope[];
  /** SUBSCRIBE_ADMINS_ONLY: in a group, only admins may subscribe where the platform says who they are. */
  adminsOnly: boolean;
  /** Channels that can message a chat unprompted (Telegram, DingTalk, WeCom); elsewhere the iCalendar link. */
  proactive: ReadonlySet<string>;
}

/** The chat a message came from, when its channel can be sent to unprompted. */
export function chatOf(msg: InboundMessage, proactive: ReadonlySet<string>): ChatRef | undefined {
  const c = msg.conversation;
  if (!c || !proactive.has(msg.channel)) return undefined;
  return c.kind === "direct"
    ? { channel: msg.channel, kind: "direct", id: c.userId }
    : { channel: msg.channel, kind: "group", id: c.groupId };
}

/** The iCalendar feed of a subscription's deadlines (with alarms), relative to the server. */
export function icsLink(region: Region, level?: Level): string {
  const q = new URLSearchParams({ region, ...(level ? { level } : {}), format: "ics" });
  return `/api/deadlines?${q.toString()}`;
}

const answered = (texts: string[]): ChatOutcome => ({
  status: "answered",
  replies: texts.filter(Boolean).map((text): Reply => ({ text })),
});

/**
 * Wraps the chat turn: subscription commands are answered here; `/forget` in a 1:1 chat also deletes that chat's
 * subscriptions and sent records (a pending reminder is checked against the subscriptions before it goes out, so
 * none is sent after); everything else goes to `turn`.
 */
export function withSubscriptionCommands(turn: ChatTurnFn, deps: SubscriptionDeps): ChatTurnFn {
  return async (msg) => {
    const text = normalizeInput(msg.text);
    const command = parseSubscriptionCommand(text);
    if (!command) {
      if (detectIntent(text)?.kind !== "forget") return turn(msg);
      const chat = chatOf(msg, deps.proactive);
      if (!chat || chat.kind !== "direct") return turn(msg);
      const outcome = await turn(msg);
      if (outcome.status !== "answered") return outcome;
      const gone = await deps.subscriptions.remove(chat);
      await deps.sent.forgetChat(chatKey(chat));
      const extra = REMINDER_TEXT.forgotten(gone.length);
      return extra ? { ...outcome, replies: [...outcome.replies, { text: extra }] } : outcome;
    }
    try {
      return await handle(command, msg, deps);
    } catch {
      // The subscription store did not answer: nothing was changed, the user may simply send it again.
      return { status: "busy", replies: [{ text: REMINDER_TEXT.busy }], retryAfterSeconds: 5 };
    }
  };
}

async function handle(
  command: SubscriptionCommand,
  msg: InboundMessage,
  deps: SubscriptionDeps,
): Promise<ChatOutcome> {
  const regions = regionLabels().join("、");
  const chat = chatOf(msg, deps.proactive);
  if (command.kind === "list") {
    const subs = chat ? await deps.subscriptions.list(chat) : [];
    return answered([REMINDER_TEXT.list(subs.map(subscriptionScope))]);
  }
  if (command.unknownPlace !== undefined && command.region === undefined)
    return answered([REMINDER_TEXT.unknownPlace(command.unknownPlace, regions)]);
  const inGroup = chat?.kind === "group";
  if (inGroup && deps.adminsOnly && (await senderIsAdmin(msg)) === false)
    return answered([REMINDER_TEXT.adminsOnly]);
  if (command.kind === "unsubscribe") {
    const gone = chat ? await deps.subscriptions.remove(chat, command.region, command.level) : [];
    return answered([
      gone.length > 0
        ? REMINDER_TEXT.unsubscribed(gone.map(subscriptionScope).join("、"))
        : REMINDER_TEXT.nothingToRemove,
    ]);
  }
  if (command.region === undefined) return answered([REMINDER_TEXT.needRegion(regions)]);
  const sub = { region: command.region, ...(command.level ? { level: command.level } : {}) };
  const scope = subscriptionScope(sub);
  if (!chat) return answered([REMINDER_TEXT.icsInstead(icsLink(command.region, command.level))]);
  const added = await deps.subscriptions.add({ chat, ...sub });
  return answered([
    added ? REMINDER_TEXT.subscribed(scope) : REMINDER_TEXT.already(scope),
    roundsNote(sub, scope, deps),
  ]);
}

/** Whether the sender is a group admin: as the adapter marked it, or asked of the platform; undefined if unknown. */
async function senderIsAdmin(msg: InboundMessage): Promise<boolean | undefined> {
  if (msg.senderIsAdmin !== undefined) return msg.senderIsAdmin;
  if (!msg.isSenderAdmin) return undefined;
  // The platform could not be asked: it does not tell us, and the subscription goes ahead.
  return msg.isSenderAdmin().catch(() => undefined);
}

/** When no held deadline of the subscription is still to come: says so (the subscription is kept). */
function roundsNote(sub: { region: Region; level?: Level }, scope: string, deps: SubscriptionDeps): string {
  const mine = deps
    .deadlines()
    .filter((d) => d.region === sub.region && (sub.level === undefined || d.levels.includes(sub.level)));
  if (mine.length === 0) return REMINDER_TEXT.noRound(scope);
  const now = deps.clock.now().getTime();
  if (mine.some((d) => deadlinePassesAt(d.date, d.time).getTime() > now)) return "";
  return REMINDER_TEXT.allClosed(
    scope,
    mine.reduce((a, d) => (d.date > a ? d.date : a), ""),
  );
}
