// The robot message DingTalk pushes over the Stream connection (the part we read), and the channel's settings.
// https://open.dingtalk.com/document/orgapp/receive-message
import { z } from "zod";
import type { InboundMessage } from "../../shared/chat.ts";

/** Topic of robot messages on the Stream connection (the SDK's TOPIC_ROBOT). */
export const TOPIC_ROBOT = "/v1.0/im/bot/messages/get";

export const robotMessageSchema = z.object({
  msgId: z.string().min(1),
  msgtype: z.string(),
  /** "1" a 1:1 chat, "2" a group. */
  conversationType: z.string(),
  conversationId: z.string(),
  senderId: z.string(),
  senderStaffId: z.string().optional(),
  /** Whether the sender is an admin of the group (robot callbacks carry it). */
  isAdmin: z.boolean().optional(),
  senderNick: z.string().optional(),
  text: z.object({ content: z.string() }).optional(),
  isInAtList: z.boolean().optional(),
  robotCode: z.string().optional(),
  sessionWebhook: z.string().url(),
  /** Epoch ms after which `sessionWebhook` no longer accepts replies (about 90 minutes after the message). */
  sessionWebhookExpiredTime: z.number(),
  createAt: z.number().optional(),
});

export type RobotMessage = z.infer<typeof robotMessageSchema>;

/** Where a message's answer goes: its session webhook while it lasts, else the robot's send API. */
export interface ReplyRoute {
  sessionWebhook: string;
  expiresAt: number;
  /** In a group the answer @-mentions the sender. */
  atUserId?: string;
  /** For the send API once the webhook expired: the 1:1 user or the group. */
  userId?: string;
  groupId?: string;
  robotCode?: string;
}

export interface DingTalkInbound {
  msg: InboundMessage;
  route: ReplyRoute;
}

/** Settings of the DingTalk channel (Stream mode). */
export interface DingTalkSettings {
  clientId: string;
  clientSecret: string;
  /** Default https://api.dingtalk.com/v1.0/gateway/connections/open. */
  gatewayUrl?: string;
  /** Default https://api.dingtalk.com (access token and robot send APIs). */
  apiBase?: string;
}
