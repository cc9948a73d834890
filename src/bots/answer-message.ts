// One inbound message answered: the chat turn, its outcome turned into sends, each delivery remembered.
import { randomUUID } from "node:crypto";
import { setTimeout as delay } from "node:timers/promises";
import { BOT_MESSAGES } from "../i18n/bot-messages.ts";
import type { ChatOutcome, InboundMessage, Reply } from "../shared/chat.ts";
import type { ChannelDeps } from "./channel-adapter.ts";
import { isTransient } from "./platform-error.ts";

/** `retry-later`: nothing (or not everything) reached the user; a redelivery of the message should be answered. */
export type AnswerResult = "done" | "retry-later";

/** Waits before asking again about a message whose first delivery is still being answered elsewhere. */
export const PENDING_WAITS_MS = [250, 500, 1_000, 2_000, 4_000];

type AnswerDeps = Pick<ChannelDeps, "turn" | "deliveries" | "log">;

/** The short, non-identifying text of an error for the log (never the message's own text). */
export function errorSummary(err: unknown): string {
  return err instanceof Error ? `${err.name}: ${err.message}` : String(err);
}

/**
 * Runs the turn for `msg` and hands its replies to `send` (which retries transient platform failures itself).
 *
 * - A message whose replies were delivered before is not answered again (nothing is sent).
 * - `duplicate` (the store saw this message id) sends the first delivery's replies unless they were delivered.
 * - `pending` (the first delivery is still running) is asked again a few times, then left for a redelivery.
 * - `busy` and `rate-limited` send their polite text; nothing was recorded, so a retry is processed.
 * - A turn that throws gets a Chinese apology with a reference id that is also in the log.
 * - A send still failing after its retries is logged: `retry-later` when the platform was unreachable, `done`
 *   (dropped) when it refused.
 */
export async function answerMessage(
  msg: InboundMessage,
  send: (replies: Reply[]) => Promise<void>,
  deps: AnswerDeps,
  pendingWaitsMs: readonly number[] = PENDING_WAITS_MS,
): Promise<AnswerResult> {
  const key = msg.messageId ? `${msg.channel}:${msg.messageId}` : undefined;
  if (key && (await wasDelivered(key, deps))) return "done";

  let outcome: ChatOutcome | undefined;
  for (const wait of [0, ...pendingWaitsMs]) {
    if (wait > 0) await delay(wait);
    try {
      outcome = await deps.turn(msg);
    } catch (err) {
      const ref = randomUUID().slice(0, 8);
      deps.log.error(`${msg.channel}: chat turn failed (ref ${ref}): ${errorSummary(err)}`);
      return deliver([{ text: BOT_MESSAGES.failed(ref) }], undefined, send, deps, msg.channel);
    }
    if (outcome.status !== "pending") break;
  }
  if (!outcome || outcome.status === "pending") {
    deps.log.warn(
      `${msg.channel}: message ${key ?? "?"} is still being answered elsewhere; left for redelivery`,
    );
    return "retry-later";
  }
  // A duplicate without replies (a store that does not keep them) proves nothing was delivered: not remembered.
  const delivered =
    outcome.status === "answered" || (outcome.status === "duplicate" && outcome.replies.length > 0);
  const remember = delivered ? key : undefined;
  return deliver(outcome.replies, remember, send, deps, msg.channel);
}

async function deliver(
  replies: Reply[],
  key: string | undefined,
  send: (replies: Reply[]) => Promise<void>,
  deps: AnswerDeps,
  channel: string,
): Promise<AnswerResult> {
  try {
    if (replies.length > 0) await send(replies);
  } catch (err) {
    // Still failing after the sender's retries: a redelivery may get through. Refused for good (a 4xx, the bot
    // removed from the chat): trying again would be refused again.
    const transient = isTransient(err);
    deps.log.error(
      `${channel}: replies not delivered${transient ? "" : ", dropped (refused)"}: ${errorSummary(err)}`,
    );
    return transient ? "retry-later" : "done";
  }
  if (key) {
    try {
      await deps.deliveries.markDelivered(key);
    } catch (err) {
      // A redelivery may then be answered twice; the user has the replies either way.
      deps.log.warn(`${channel}: delivery of ${key} not recorded: ${errorSummary(err)}`);
    }
  }
  return "done";
}

async function wasDelivered(key: string, deps: AnswerDeps): Promise<boolean> {
  try {
    return await deps.deliveries.wasDelivered(key);
  } catch {
    // The store is away: the turn will say "服务繁忙" (and a delivered message would be deduped by it anyway).
    return false;
  }
}
