// The chat a reminder goes to: a channel, a 1:1 chat or a group, and the platform's id; one string key for records.
import type { SendTarget } from "../bots/channel-adapter.ts";

/** A chat that can be sent to unprompted (a Telegram or DingTalk 1:1 chat or group, a WeCom app chat). */
export interface ChatRef {
  channel: string;
  kind: "direct" | "group";
  /** The platform's user id (1:1) or group id. */
  id: string;
}

const enc = encodeURIComponent;

/** `<channel>:<d|g>:<id>`, injective (parts URI-encoded): what sent records and subscriptions are filed under. */
export function chatKey(chat: ChatRef): string {
  return `${enc(chat.channel)}:${chat.kind === "direct" ? "d" : "g"}:${enc(chat.id)}`;
}

/** The chat a key names; undefined for a string that is not one. */
export function parseChatKey(key: string): ChatRef | undefined {
  const m = /^([^:]+):([dg]):([^:]+)$/.exec(key);
  if (!m?.[1] || !m[2] || !m[3]) return undefined;
  return {
    channel: decodeURIComponent(m[1]),
    kind: m[2] === "d" ? "direct" : "group",
    id: decodeURIComponent(m[3]),
  };
}

/** What `Channels.send` takes for this chat. */
export function sendTarget(chat: ChatRef): SendTarget {
  return chat.kind === "direct" ? { kind: "direct", userId: chat.id } : { kind: "group", groupId: chat.id };
}
