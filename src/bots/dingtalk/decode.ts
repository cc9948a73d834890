// DingTalk robot message → InboundMessage and the route its answer takes.
// https://open.dingtalk.com/document/orgapp/receive-message
import type { Conversation } from "../../shared/chat.ts";
import { sessionUser } from "../channel-adapter.ts";
import { robotMessageSchema, type DingTalkInbound } from "./types.ts";

export const CHANNEL = "dingtalk";

/** The msgId of a stream callback's data, for dedupe before anything else is read; undefined if unreadable. */
export function msgIdOf(data: string): string | undefined {
  try {
    const parsed = JSON.parse(data) as { msgId?: unknown };
    return typeof parsed.msgId === "string" && parsed.msgId ? parsed.msgId : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Decodes a robot callback's data (a JSON string). Undefined when it is not a robot message we can answer.
 * DingTalk only delivers group messages that @ the robot, so every message is addressed; the text comes with a
 * leading space where the @ was, trimmed here. A non-text message (picture, file) arrives as empty text, and the
 * dialog asks for words.
 */
export function decodeRobotMessage(data: string): DingTalkInbound | undefined {
  let raw: unknown;
  try {
    raw = JSON.parse(data);
  } catch {
    return undefined;
  }
  const parsed = robotMessageSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const m = parsed.data;
  // Staff id for people of the organisation; senderId (always present) otherwise.
  const userId = m.senderStaffId ?? m.senderId;
  const group = m.conversationType === "2";
  const conversation: Conversation = group
    ? { kind: "group", groupId: m.conversationId, userId }
    : { kind: "direct", userId };
  return {
    msg: {
      channel: CHANNEL,
      user: sessionUser(conversation),
      text: m.msgtype === "text" ? (m.text?.content ?? "").trim() : "",
      messageId: m.msgId,
      isGroup: group,
      conversation,
      addressed: true,
      ...(group && m.isAdmin !== undefined ? { senderIsAdmin: m.isAdmin } : {}),
    },
    route: {
      sessionWebhook: m.sessionWebhook,
      expiresAt: m.sessionWebhookExpiredTime,
      ...(group ? { atUserId: userId, groupId: m.conversationId } : { userId }),
      ...(m.robotCode ? { robotCode: m.robotCode } : {}),
    },
  };
}
