// One chat turn as every channel runs it: the user's key, the store's admission (dedupe, rate limit), the dialog.
import type { ChatOutcome, InboundMessage, Reply } from "../shared/chat.ts";
import { handleTurn } from "../dialogs/handle-turn.ts";
import type { DialogDeps, DialogState } from "../dialogs/types.ts";
import { StoreUnavailableError, type SessionStore } from "../sessions/session-store.ts";
import { CHAT_MESSAGES } from "../i18n/chat-messages.ts";
import type { UserKeyer } from "./user-key.ts";

/** Seconds a client is asked to wait before retrying a message the store could not take. */
export const BUSY_RETRY_AFTER_SECONDS = 5;

export interface ChatTurnDeps {
  store: SessionStore<DialogState>;
  dialog: DialogDeps;
  /** The keyed hash the store files a user under (src/app/user-key.ts); the raw id never reaches the store. */
  userKey: UserKeyer;
  /**
   * Failure causes, one short line each (error names and Redis's own messages; never message text, profile values
   * or user ids). Repeats are expected: the composition root passes a log that writes each line once a minute.
   */
  log?: (line: string) => void;
}

/**
 * Runs one inbound message through the dialog inside the user's session, idempotently per (channel, user,
 * messageId): a message already delivered gets the replies its delivery produced (`duplicate`) and is never run
 * again; one still running elsewhere is waited for (`pending` if it is still running after the store's wait). A
 * user over the rate limit is told so politely; a store outage becomes "服务繁忙" and loses nothing (nothing was
 * written or recorded, so the retry is processed). `/forget` deletes the user's state, rate counter and message
 * records in the same step that records its own reply.
 */
export async function chatTurn(msg: InboundMessage, deps: ChatTurnDeps): Promise<ChatOutcome> {
  const { store } = deps;
  try {
    const user = await deps.userKey(msg.channel, msg.user);
    const outcome = await store.withMessage<Reply[]>(user, msg.messageId, async (state) => {
      const turn = await handleTurn(state, msg, deps.dialog);
      // The dialog's "delete" is /forget: everything kept about the user goes, not only the conversation.
      return { state: turn.state === "delete" ? "forget" : turn.state, result: turn.replies };
    });
    switch (outcome.status) {
      case "answered":
      case "duplicate":
        return { status: outcome.status, replies: outcome.result };
      case "pending":
        return { status: "pending", replies: [] };
      case "rate-limited":
        return {
          status: "rate-limited",
          replies: [{ text: CHAT_MESSAGES.rateLimited }],
          retryAfterSeconds: Math.max(1, Math.ceil(outcome.retryAfterMs / 1000)),
        };
    }
  } catch (err) {
    if (err instanceof StoreUnavailableError) {
      deps.log?.(`chat turn on ${msg.channel}: ${failureCause(err)}`);
      return {
        status: "busy",
        replies: [{ text: CHAT_MESSAGES.busy }],
        retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS,
      };
    }
    throw err;
  }
}

/** The error's name and the Redis client's reason (e.g. "Command timed out"), which names no user or key. */
function failureCause(err: StoreUnavailableError): string {
  const cause = err.cause instanceof Error ? `: ${err.cause.message.slice(0, 120)}` : "";
  return `${err.name} (${err.message})${cause}`;
}
