// GET and POST /wecom: the encrypted URL check, and messages answered empty once recorded.
// https://developer.work.weixin.qq.com/document/path/90238 (回调配置)
import type { ChannelWebhook, WebhookAnswer } from "../channel-webhook.ts";
import { callbackRoutes } from "../weixin/callback.ts";
import { WECOM_PATH } from "./types.ts";

/** An empty 200: WeCom takes it as "received", with no passive reply. */
export const RECEIVED: WebhookAnswer = { status: 200, body: "", contentType: "text/plain; charset=utf-8" };

/** The two routes; both answer 503 until `ready()` (the channel has started). */
export function wecomWebhooks(
  ready: () => boolean,
  onGet: (query: Record<string, string>) => WebhookAnswer,
  onPost: (query: Record<string, string>, body: string) => Promise<WebhookAnswer>,
): ChannelWebhook[] {
  return callbackRoutes(WECOM_PATH, ready, onGet, onPost);
}
