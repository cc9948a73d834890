// One chat turn as every channel runs it: dedupe, rate limit, the user's session, the dialog.
import type { InboundMessage, Reply } from "../shared/chat.ts";
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

/** The outcome of a turn for a channel: the replies, and whether the message was a redelivery. */
export interface ChatOutcome {
  replies: Reply[];
  duplicate?: boolean;
}

/**
 * Runs one inbound message through the dialog inside the user's session. A redelivered message id is
 * answered once; a store outage becomes "服务繁忙" and loses nothing (the turn wrote nothing back).
 */
export async function chatTurn(msg: InboundMessage, deps: ChatTurnDeps): Promise<ChatOutcome> {
  const { store } = deps;
  const user = `${msg.channel}:${msg.user}`;
  const deliveryKey = msg.messageId ? `${msg.channel}:${msg.messageId}` : undefined;
  try {
    // Both checks in one round trip: a redelivery costs its sender one message of the rate budget,
    // which is cheaper for everyone than a second sequential call on every turn.
    const [first, allowed] = await Promise.all([
      deliveryKey ? store.firstDelivery(deliveryKey) : true,
      store.allow(user),
    ]);
    if (!first) return { replies: [], duplicate: true };
    if (!allowed) return { replies: [{ text: CHAT_MESSAGES.rateLimited }] };
    let forgotten = false;
    const replies = await store.withSession(user, async (state) => {
      const outcome = await handleTurn(state, msg, deps.dialog);
      forgotten = outcome.state === "delete";
      return { state: outcome.state, result: outcome.replies };
    });
    if (forgotten) await store.forget(user);
    return { replies };
  } catch (err) {
    // The message was not answered: let a redelivery through.
    if (deliveryKey) await store.releaseDelivery(deliveryKey).catch(() => undefined);
    if (err instanceof StoreUnavailableError) {
      deps.log?.(`chat turn on ${msg.channel}: store unavailable (${err.name})`);
      return { replies: [{ text: CHAT_MESSAGES.busy }] };
    }
    throw err;
  }
}
