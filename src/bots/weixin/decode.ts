// A WeChat / WeCom message (its XML fields) → the entry the channel answers: text for the turn, or a hint.
// https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Receiving_standard_messages.html
// https://developer.work.weixin.qq.com/document/path/90239
import { BOT_MESSAGES } from "../../i18n/bot-messages.ts";
import type { Conversation } from "../../shared/chat.ts";
import { sessionUser } from "../channel-adapter.ts";
import type { Decoded } from "./types.ts";

/** Kinds of message that carry no words we can read. */
const NOT_TEXT = new Set(["image", "voice", "video", "shortvideo", "location", "link", "file"]);

/**
 * Decodes the fields of one message. Both platforms deliver 1:1 messages only. A message's id is its MsgId; an
 * event has none, and is known by its sender, time and kind (WeChat redelivers it with the same three).
 * `welcomeEvents` are the events answered with the welcome text; other events are ignored.
 */
export function decodeWeixin(
  channel: string,
  fields: Record<string, string>,
  welcomeEvents: ReadonlySet<string>,
): Decoded {
  const from = fields.FromUserName;
  const type = fields.MsgType;
  if (!from || !type) return { kind: "ignore" };
  const conversation: Conversation = { kind: "direct", userId: from };
  const messageId = fields.MsgId || `${from}:${fields.CreateTime ?? ""}:${fields.Event ?? type}`;
  const base = {
    channel,
    user: sessionUser(conversation),
    messageId,
    isGroup: false,
    conversation,
    addressed: true,
  };
  const entry = (text: string, hint?: string) => ({
    msg: { ...base, text },
    to: from,
    ...(hint !== undefined ? { hint } : {}),
  });
  if (type === "text") return { kind: "text", entry: entry((fields.Content ?? "").trim()) };
  // A voice note with speech recognition switched on carries its words.
  const recognised = fields.Recognition?.trim();
  if (type === "voice" && recognised) return { kind: "text", entry: entry(recognised) };
  if (NOT_TEXT.has(type)) return { kind: "hint", entry: entry("", BOT_MESSAGES.textOnly) };
  if (type === "event" && welcomeEvents.has((fields.Event ?? "").toLowerCase()))
    return { kind: "hint", entry: entry("", BOT_MESSAGES.welcome) };
  return { kind: "ignore" };
}
