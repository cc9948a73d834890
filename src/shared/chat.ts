// The channel-neutral message shapes: what every adapter decodes into and encodes from.
import type { Citation } from "./domain.ts";

/** One message from a user on some channel, already decoded by its adapter. */
export interface InboundMessage {
  channel: string;
  user: string;
  text: string;
  /** The platform's id, for redelivery dedupe. */
  messageId?: string;
  isGroup?: boolean;
  /** Where it was said (a chat adapter sets it): a 1:1 chat or a group, by the platform's ids. */
  conversation?: Conversation;
  /** In a group: the bot was addressed (a command, an @-mention, a reply to the bot). Unset or true in 1:1. */
  addressed?: boolean;
  /** In a group: whether the sender is one of its admins, where the platform says (unset: it does not). */
  senderIsAdmin?: boolean;
  /**
   * In a group, where the platform answers "is this sender an admin?" only when asked (Telegram getChatMember):
   * asked only by what needs it (a subscription command). Rejects when the platform cannot be asked.
   */
  isSenderAdmin?: () => Promise<boolean>;
}

/**
 * A conversation on a chat platform. In a group the sender is kept apart from the group, so two colleagues in
 * one group never share a session; a proactive message goes to `userId` (1:1) or `groupId` (group).
 */
export type Conversation =
  { kind: "direct"; userId: string } | { kind: "group"; groupId: string; userId: string };

/** One message back to the user. `choices` are quick replies where the channel supports them. */
export interface Reply {
  text: string;
  citations?: Citation[];
  choices?: string[];
}

/**
 * What became of one inbound message, as every channel and the HTTP API receive it.
 * - `answered`: the turn ran now; `replies` are its answer.
 * - `duplicate`: the message was delivered before; `replies` are the ones that first delivery produced.
 * - `pending`: the first delivery of this message is still running; ask again shortly.
 * - `rate-limited` / `busy`: refused before the turn ran (over the user's limit / the store did not answer);
 *   nothing was recorded, so a retry is processed. `replies` hold the polite Chinese text.
 */
export type ChatOutcome =
  | { status: "answered" | "duplicate"; replies: Reply[] }
  | { status: "pending"; replies: [] }
  | { status: "rate-limited" | "busy"; replies: Reply[]; retryAfterSeconds: number };
