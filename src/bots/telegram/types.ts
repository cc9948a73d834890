// The part of Telegram's Bot API objects the adapter reads, validated (a webhook body is untrusted input).
// https://core.telegram.org/bots/api#update
import { z } from "zod";
import type { InboundMessage } from "../../shared/chat.ts";

const user = z.object({ id: z.number(), is_bot: z.boolean().optional(), username: z.string().optional() });

const chat = z.object({ id: z.number(), type: z.string() });

const entity = z.object({
  type: z.string(),
  offset: z.number().int().min(0),
  length: z.number().int().min(0),
  user: user.optional(),
});

const keyboard = z.object({
  inline_keyboard: z.array(z.array(z.object({ text: z.string(), callback_data: z.string().optional() }))),
});

const message = z.object({
  message_id: z.number(),
  from: user.optional(),
  chat,
  date: z.number(),
  text: z.string().optional(),
  caption: z.string().optional(),
  entities: z.array(entity).optional(),
  reply_to_message: z.object({ message_id: z.number(), from: user.optional() }).optional(),
  reply_markup: keyboard.optional(),
});

/** The update kinds the bot asks for (getUpdates / setWebhook `allowed_updates`). */
export const ALLOWED_UPDATES = ["message", "callback_query"] as const;

export const updateSchema = z.object({
  update_id: z.number().int(),
  message: message.optional(),
  callback_query: z
    .object({
      id: z.string(),
      from: user,
      // An "inaccessible message" (older than 48 h) has date 0 and no text or keyboard.
      message: message.optional(),
      data: z.string().optional(),
    })
    .optional(),
});

export type TelegramUpdate = z.infer<typeof updateSchema>;
export type TelegramMessage = z.infer<typeof message>;
export type TelegramEntity = z.infer<typeof entity>;

/** Who the bot is (getMe): how a group message addresses it. */
export interface BotIdentity {
  id: number;
  username: string;
}

/** An update decoded: the message for the turn, and where the answer goes. */
export interface TelegramInbound {
  msg: InboundMessage;
  chatId: number;
  /** In a group the answer replies to the message it answers. */
  replyTo?: number;
  /** A button press: answered with answerCallbackQuery; its keyboard is removed. */
  callback?: { id: string; messageId?: number };
}

/** A button press whose choice cannot be read back (its message is too old): answered, no turn. */
export interface ExpiredChoice {
  expired: true;
  callbackId: string;
}

/** Settings of the Telegram channel. */
export interface TelegramSettings {
  token: string;
  /** Default https://api.telegram.org (a local fake in tests). */
  apiRoot?: string;
  /** Both set: updates come to `/telegram/webhook`; otherwise long polling. */
  webhook?: { url: string; secret: string };
  /** The poller lease; a standby takes over this long after the poller died. Default 30 s. */
  leaseMs?: number;
  /** getUpdates long-poll timeout in seconds (Telegram allows up to 50). Default 50. */
  pollTimeoutSeconds?: number;
}
