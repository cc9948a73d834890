// POST /telegram/webhook: verify the secret-token header, hand the update on, answer within the time budget.
// https://core.telegram.org/bots/api#setwebhook (secret_token → X-Telegram-Bot-Api-Secret-Token)
import { createHash, timingSafeEqual } from "node:crypto";
import type { AnswerResult } from "../answer-message.ts";

/** What the HTTP route writes back. */
export interface WebhookResponse {
  status: number;
  body: string;
}

/** Headers as Node (and Fastify) give them: lower-case names. */
export type WebhookHeaders = Record<string, string | string[] | undefined>;

/** The route handler: mount it at `/telegram/webhook` (POST, JSON body or raw text). */
export type TelegramWebhookHandler = (headers: WebhookHeaders, body: unknown) => Promise<WebhookResponse>;

const SECRET_HEADER = "x-telegram-bot-api-secret-token";

/** Telegram's rule for secret_token: 1–256 characters A–Z, a–z, 0–9, _ and -. */
export const SECRET_TOKEN = /^[A-Za-z0-9_-]{1,256}$/;

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Constant-time comparison of the header with the secret (digests, so lengths never leak either). */
export function secretMatches(headers: WebhookHeaders, secret: string): boolean {
  const raw = headers[SECRET_HEADER];
  const given = Array.isArray(raw) ? raw[0] : raw;
  return given !== undefined && timingSafeEqual(digest(given), digest(secret));
}

function parseBody(body: unknown): unknown {
  if (typeof body === "string") return JSON.parse(body) as unknown;
  if (Buffer.isBuffer(body)) return JSON.parse(body.toString("utf8")) as unknown;
  return body;
}

/**
 * Builds the webhook handler. A request without the right secret gets 403 and nothing is processed. The update
 * is answered (200) once handled or when `budgetMs` runs out (the handling goes on and still sends its replies:
 * Telegram would otherwise send the update again after about 60 s); 500 when its replies could not be
 * delivered, so Telegram sends it again and the redelivery gets them.
 */
export function createWebhookHandler(
  secret: string,
  handle: (update: unknown) => Promise<AnswerResult>,
  budgetMs: number,
): TelegramWebhookHandler {
  return async (headers, body) => {
    if (!secretMatches(headers, secret)) return { status: 403, body: '{"ok":false}' };
    let update: unknown;
    try {
      update = parseBody(body);
    } catch {
      return { status: 400, body: '{"ok":false}' };
    }
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<"budget">((resolve) => {
      timer = setTimeout(() => resolve("budget"), budgetMs);
    });
    try {
      const result = await Promise.race([handle(update), budget]);
      return result === "retry-later" ? { status: 500, body: '{"ok":false}' } : { status: 200, body: "{}" };
    } finally {
      clearTimeout(timer);
    }
  };
}
