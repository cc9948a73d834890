// WeChat Official Account message → the entry the channel answers.
// https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_event_pushes.html
import { decodeWeixin } from "../weixin/decode.ts";
import type { Decoded } from "../weixin/types.ts";

export const CHANNEL = "wechat";

/** Following the account is answered with the welcome text. */
const WELCOME_EVENTS = new Set(["subscribe"]);

export function decodeWeChat(fields: Record<string, string>): Decoded {
  return decodeWeixin(CHANNEL, fields, WELCOME_EVENTS);
}
