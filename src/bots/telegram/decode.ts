// Telegram update → InboundMessage: who, where (1:1 or group), whether the bot was addressed, the clean text.
// https://core.telegram.org/bots/features#privacy-mode
import type { Conversation } from "../../shared/chat.ts";
import { sessionUser } from "../channel-adapter.ts";
import { choiceFromCallback } from "./encode.ts";
import {
  updateSchema,
  type BotIdentity,
  type ExpiredChoice,
  type TelegramEntity,
  type TelegramInbound,
  type TelegramMessage,
} from "./types.ts";

export const CHANNEL = "telegram";

const isGroupChat = (type: string) => type === "group" || type === "supergroup";

/** Text with our @-mentions cut out and `/cmd@ourbot` shortened to `/cmd`; whether it addressed us. */
function readAddressing(m: TelegramMessage, me: BotIdentity): { text: string; addressed: boolean } {
  const text = m.text ?? m.caption ?? "";
  const entities: TelegramEntity[] = m.text !== undefined ? (m.entities ?? []) : [];
  const handle = `@${me.username}`.toLowerCase();
  let addressed = m.reply_to_message?.from?.id === me.id;
  const cuts: Array<[number, number]> = [];
  for (const e of entities) {
    const word = text.slice(e.offset, e.offset + e.length);
    if (e.type === "bot_command" && e.offset === 0) {
      const at = word.indexOf("@");
      if (at < 0) addressed = true;
      else if (word.slice(at).toLowerCase() === handle) {
        addressed = true;
        cuts.push([e.offset + at, e.offset + e.length]);
      } else return { text, addressed: false }; // /cmd@otherbot is another bot's
    } else if (e.type === "mention" && word.toLowerCase() === handle) {
      addressed = true;
      cuts.push([e.offset, e.offset + e.length]);
    } else if (e.type === "text_mention" && e.user?.id === me.id) {
      addressed = true;
      cuts.push([e.offset, e.offset + e.length]);
    }
  }
  let clean = text;
  for (const [from, to] of cuts.sort((a, b) => b[0] - a[0])) clean = clean.slice(0, from) + clean.slice(to);
  return { text: clean.replace(/\s+/g, " ").trim(), addressed };
}

function conversationOf(chat: { id: number; type: string }, from: number): Conversation {
  return isGroupChat(chat.type)
    ? { kind: "group", groupId: String(chat.id), userId: String(from) }
    : { kind: "direct", userId: String(from) };
}

/**
 * Decodes one update. Undefined for what the bot ignores (channels, service messages, update kinds it did not
 * ask for, malformed bodies). A group message carries `addressed`; the group rules decide what to do with it.
 */
export function decodeUpdate(raw: unknown, me: BotIdentity): TelegramInbound | ExpiredChoice | undefined {
  const parsed = updateSchema.safeParse(raw);
  if (!parsed.success) return undefined;
  const update = parsed.data;
  // update_id is unique per bot only (a new bot token starts a new sequence): the bot's id scopes it.
  const messageId = `${me.id}:${update.update_id}`;

  if (update.message) {
    const m = update.message;
    if (!m.from || m.from.is_bot || (m.chat.type !== "private" && !isGroupChat(m.chat.type)))
      return undefined;
    const conversation = conversationOf(m.chat, m.from.id);
    const group = conversation.kind === "group";
    const { text, addressed } = group
      ? readAddressing(m, me)
      : { text: (m.text ?? m.caption ?? "").trim(), addressed: true };
    return {
      msg: {
        channel: CHANNEL,
        user: sessionUser(conversation),
        text,
        messageId,
        isGroup: group,
        conversation,
        addressed,
      },
      chatId: m.chat.id,
      ...(group ? { replyTo: m.message_id } : {}),
    };
  }

  const cb = update.callback_query;
  if (cb) {
    const choice = cb.message && choiceFromCallback(cb.data, cb.message.reply_markup);
    if (!cb.message || choice === undefined) return { expired: true, callbackId: cb.id };
    const conversation = conversationOf(cb.message.chat, cb.from.id);
    return {
      msg: {
        channel: CHANNEL,
        user: sessionUser(conversation),
        text: choice,
        messageId,
        isGroup: conversation.kind === "group",
        conversation,
        addressed: true,
      },
      chatId: cb.message.chat.id,
      callback: { id: cb.id, messageId: cb.message.message_id },
    };
  }
  return undefined;
}
