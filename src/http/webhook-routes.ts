// Platform callbacks (Telegram webhook, WeChat, WeCom) mounted on the HTTP port, each with its raw body.
import type { FastifyInstance } from "fastify";

/** One platform callback as the HTTP layer sees it; the channel verifies, decodes and answers. */
export interface WebhookRoute {
  method: "GET" | "POST";
  /** e.g. `/telegram/webhook`, `/wechat`. */
  path: string;
  handle(request: WebhookRequest): Promise<WebhookReply>;
}

export interface WebhookRequest {
  /** Lower-case header names, as Node gives them. */
  headers: Record<string, string | string[] | undefined>;
  /** The query string's parameters (signatures, timestamps, echostr). */
  query: Record<string, string>;
  /** The body exactly as sent (empty for GET): platforms sign and encrypt it, so nothing parses it first. */
  body: string;
}

export interface WebhookReply {
  status: number;
  body: string;
  /** Default `application/json; charset=utf-8`. */
  contentType?: string;
}

/** Platforms send small payloads; a larger body is no callback of theirs. */
export const MAX_WEBHOOK_BODY_BYTES = 1024 * 1024;

/**
 * Registers the channels' callbacks outside `/api`: no API key, no per-client limit (a platform sends bursts from a
 * few addresses), its own signature checks. Every body arrives as a string whatever its content type.
 */
export function registerWebhooks(app: FastifyInstance, routes: readonly WebhookRoute[]): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    "*",
    { parseAs: "string", bodyLimit: MAX_WEBHOOK_BODY_BYTES },
    (_req, body, done) => done(null, body),
  );
  for (const route of routes) {
    app.route({
      method: route.method,
      url: route.path,
      handler: async (request, reply) => {
        const query = Object.fromEntries(
          Object.entries((request.query ?? {}) as Record<string, unknown>).map(([k, v]) => [
            k,
            Array.isArray(v) ? String(v[0]) : String(v),
          ]),
        );
        const body = typeof request.body === "string" ? request.body : "";
        const answer = await route.handle({ headers: request.headers, query, body });
        void reply.code(answer.status).type(answer.contentType ?? "application/json; charset=utf-8");
        return answer.body;
      },
    });
  }
}
