// GET and POST /wechat: the URL check and the message callback, answered "success" (or a passive reply) in time.
// https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Access_Overview.html
import type { ChannelWebhook, WebhookAnswer } from "../channel-webhook.ts";
import { callbackRoutes } from "../weixin/callback.ts";
import { WECHAT_PATH } from "./types.ts";

/** WeChat takes "success" (or an empty body) as "no passive reply", and does not send the message again. */
export const SUCCESS: WebhookAnswer = {
  status: 200,
  body: "success",
  contentType: "text/plain; charset=utf-8",
};

/** A passive reply's XML. */
export const xmlAnswer = (xml: string): WebhookAnswer => ({
  status: 200,
  body: xml,
  contentType: "application/xml; charset=utf-8",
});

/** The two routes; both answer 503 until `ready()` (the channel has started). */
export function wechatWebhooks(
  ready: () => boolean,
  onGet: (query: Record<string, string>) => WebhookAnswer,
  onPost: (query: Record<string, string>, body: string) => Promise<WebhookAnswer>,
): ChannelWebhook[] {
  return callbackRoutes(WECHAT_PATH, ready, onGet, onPost);
}
