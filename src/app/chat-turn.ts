// One chat turn as every channel runs it: dedupe, rate limit, the user's session, the dialog.
import type { ChatOutcome, InboundMessage } from "../shared/chat.ts";
import { handleTurn } from "../dialogs/handle-turn.ts";
import type { DialogDeps, DialogState } from "../dialogs/types.ts";
import { StoreUnavailableError, type SessionStore } from "../sessions/session-store.ts";
import { CHAT_MESSAGES } from "../i18n/chat-messages.ts";

export interface ChatTurnDeps {
  store: SessionStore<DialogState>;
  dialog: DialogDeps;
  /** Failure log: message ids and error names only, never message text or profile values. */
  log?: (line: string) => void;
}

/**
 * Runs one inbound message through the dialog inside the user's session. A redelivered message id is
 * answered once, a user over the rate limit is told so politely, and a store outage becomes "服务繁忙" and loses
 * nothing (the turn wrote nothing back).
 */
export async function chatTurn(msg: InboundMessage, deps: ChatTurnDeps): Promise<ChatOutcome> {
  const { store } = deps;
  const user = `${msg.channel}:${msg.user}`;
  const deliveryKey = msg.messageId ? `${msg.channel}:${msg.messageId}` : undefined;
  try {
    let forgotten = false;
    const outcome = await store.withMessage(user, deliveryKey, async (state) => {
      const turn = await handleTurn(state, msg, deps.dialog);
      forgotten = turn.state === "delete";
      return { state: turn.state, result: turn.replies };
    });
    if (outcome.status === "duplicate") return { status: "duplicate", replies: [] };
    if (outcome.status === "rate-limited")
      return { status: "rate-limited", replies: [{ text: CHAT_MESSAGES.rateLimited }], retryAfterSeconds: 60 };
    if (forgotten) await store.forget(user);
    return { status: "answered", replies: outcome.result };
  } catch (err) {
    // Nothing was written back and the store withdrew the message's claim, so a redelivery is answered.
    if (err instanceof StoreUnavailableError) {
      deps.log?.(`chat turn on ${msg.channel}: store unavailable (${err.name})`);
      return { status: "busy", replies: [{ text: CHAT_MESSAGES.busy }], retryAfterSeconds: 5 };
    }
    throw err;
  }
}
