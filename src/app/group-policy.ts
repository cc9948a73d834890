// What the assistant does in a group chat: speak only when addressed, and keep people's profiles out of it.
import { detectIntent, isStatement, looksLikeQuestion, wantsEligibility } from "../dialogs/intent.ts";
import { extractFacts } from "../dialogs/parse/extract-facts.ts";
import { normalizeInput } from "../dialogs/parse/normalize-input.ts";
import { BOT_MESSAGES } from "../i18n/bot-messages.ts";
import type { ChatOutcome, InboundMessage } from "../shared/chat.ts";
import { todayInShanghai, type Clock } from "../shared/clock.ts";

/** A chat turn as every channel calls it. */
export type ChatTurnFn = (msg: InboundMessage) => Promise<ChatOutcome>;

/** Commands that show nobody's profile: policy, clauses, deadlines, subscriptions, help. */
const GROUP_INTENTS = new Set<string>([
  "help",
  "ask",
  "clause",
  "deadlines",
  "subscribe",
  "reset",
  "forget",
  "unknown-command",
]);

/** What a group message becomes: silence, the pointer to a private chat, or a turn on this text. */
export type GroupDecision = { kind: "silent" } | { kind: "private-only" } | { kind: "turn"; text: string };

/**
 * Decides a group message by its text alone, before any session is touched. Commands that could show a profile
 * (/check, 详细) and free text about the sender's own case (an eligibility question, or facts such as "北京，
 * 硕士，2015年毕业") get the pointer; any other free text is asked as a policy question (`/ask …`), so the form
 * never starts in a group and no "已记录：…" line is ever posted there.
 */
export function decideGroupMessage(msg: InboundMessage, today: string): GroupDecision {
  if (!msg.addressed) return { kind: "silent" };
  const text = normalizeInput(msg.text);
  const intent = detectIntent(text);
  if (intent) return GROUP_INTENTS.has(intent.kind) ? { kind: "turn", text } : { kind: "private-only" };
  // "我能评高工吗", or a statement about the sender's own case ("我们的项目业绩是够的").
  if (wantsEligibility(text) || isStatement(text)) return { kind: "private-only" };
  if (!looksLikeQuestion(text)) {
    const ex = extractFacts(text, { today, pending: undefined, profile: {} });
    const personal =
      Object.keys(ex.facts).length > 0 ||
      Object.keys(ex.title).length > 0 ||
      ex.specialtySinceGraduation ||
      ex.ambiguousPostgraduate ||
      ex.yearOnly !== undefined ||
      ex.looseDate !== undefined;
    if (personal) return { kind: "private-only" };
  }
  return { kind: "turn", text: text ? `/ask ${text}` : text };
}

/**
 * Wraps the chat turn with the group rules of the contract ("Channels"): in a group, unaddressed messages get
 * no answer and run no turn; policy questions, deadlines and commands run as usual; anything about a person's own
 * case gets a pointer to a private chat. 1:1 messages pass through unchanged.
 */
export function withGroupPolicy(turn: ChatTurnFn, clock: Clock): ChatTurnFn {
  return async (msg) => {
    const inGroup = msg.conversation?.kind === "group" || msg.isGroup === true;
    if (!inGroup) return turn(msg);
    const decision = decideGroupMessage(msg, todayInShanghai(clock));
    switch (decision.kind) {
      case "silent":
        return { status: "answered", replies: [] };
      case "private-only":
        return { status: "answered", replies: [{ text: BOT_MESSAGES.groupPointer }] };
      case "turn":
        return turn({ ...msg, text: decision.text });
    }
  };
}
