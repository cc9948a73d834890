// POST /api/chat: one message of the web console or a trusted front end, answered by the shared chat turn.
import type { FastifyInstance, FastifyReply } from "fastify";
import type { ChatOutcome, InboundMessage } from "../shared/chat.ts";
import { HTTP_MESSAGES } from "../i18n/http-messages.ts";
import type { Access } from "./access.ts";
import { HttpProblem } from "./http-errors.ts";
import { chatSchema, type ChatBody } from "./request-schemas.ts";

/** The chat turn as every channel runs it; the composition root wires it to the store and the dialog. */
export type ChatHandler = (msg: InboundMessage) => Promise<ChatOutcome>;

/** The channel name web messages carry (session keys, metrics). */
export const WEB_CHANNEL = "web";

/**
 * The response for an outcome (contract: "Status codes and redelivery"): answered 200; a redelivery 200 with
 * the first delivery's replies and `duplicate: true`; still running 202 `{pending: true}`; refused by the user's
 * rate limit 429, or by a store outage 503, each with Retry-After and the polite text in `replies` (nothing was
 * recorded, so the retry is processed).
 */
export function chatResponse(outcome: ChatOutcome, reply: FastifyReply): Record<string, unknown> {
  switch (outcome.status) {
    case "answered":
      return { replies: outcome.replies };
    case "duplicate":
      return { replies: outcome.replies, duplicate: true };
    case "pending":
      void reply.code(202);
      return { pending: true, replies: [] };
    case "rate-limited":
    case "busy": {
      const code = outcome.status === "busy" ? "busy" : "rate_limited";
      void reply.code(outcome.status === "busy" ? 503 : 429).header("retry-after", outcome.retryAfterSeconds);
      const message = outcome.replies.map((r) => r.text).join("\n");
      return { error: { code, message }, replies: outcome.replies };
    }
  }
}

/** Registers POST /api/chat in the /api scope (whose hooks have identified the caller). */
export function registerChatRoute(app: FastifyInstance, access: Access, chat: ChatHandler | undefined): void {
  app.post<{ Body: ChatBody }>("/api/chat", { schema: chatSchema }, async (request, reply) => {
    if (!chat) throw new HttpProblem(503, "chat_unavailable", HTTP_MESSAGES.chatUnavailable);
    const { text, messageId } = request.body;
    const user = access.chatUser(
      request.caller ?? access.identify(request),
      request.body.user,
      request,
      reply,
    );
    const outcome = await chat({
      channel: WEB_CHANNEL,
      user,
      text,
      ...(messageId !== undefined ? { messageId } : {}),
    });
    return chatResponse(outcome, reply);
  });
}
