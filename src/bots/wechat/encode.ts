// Reply → WeChat: a passive reply (XML, names swapped) for the first message, customer-service texts for the rest.
// https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Passive_user_reply_message.html
// https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Service_Center_messages.html
import { writeXml } from "../weixin/xml.ts";

/** The passive reply to a message from `user` to `account`, carrying `text`. */
export function passiveTextXml(user: string, account: string, text: string, nowMs: number): string {
  return writeXml({
    ToUserName: user,
    FromUserName: account,
    CreateTime: Math.floor(nowMs / 1000),
    MsgType: "text",
    Content: text,
  });
}

/** The customer-service API's body for one text. */
export function customText(openId: string, text: string): Record<string, unknown> {
  return { touser: openId, msgtype: "text", text: { content: text } };
}
