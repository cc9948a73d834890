// Reply → WeChat / WeCom text: at most 2048 UTF-8 bytes a message, split at line ends, choices as numbered lines.
// https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Service_Center_messages.html
import { BOT_MESSAGES } from "../../i18n/bot-messages.ts";
import type { Reply } from "../../shared/chat.ts";
import { splitText } from "../split-text.ts";

/** Bytes per message: a safe bound for custom/send, a passive reply and WeCom's text and markdown. */
export const TEXT_LIMIT_BYTES = 2048;

const bytes = (s: string) => Buffer.byteLength(s, "utf8");

/**
 * The messages for `replies`: each reply's text split so no message exceeds {@link TEXT_LIMIT_BYTES} once its
 * choices (numbered lines, on its last piece) are added.
 */
export function encodeTexts(replies: readonly Reply[]): string[] {
  return replies.flatMap((reply) => {
    const block = reply.choices?.length ? BOT_MESSAGES.numberedChoices(reply.choices) : "";
    const room = TEXT_LIMIT_BYTES - (block ? bytes(block) + 1 : 0);
    const pieces = splitText(reply.text, room, bytes);
    if (block) {
      if (pieces.length === 0) return [block];
      pieces[pieces.length - 1] = `${pieces.at(-1) ?? ""}\n${block}`;
    }
    return pieces;
  });
}

/** The choices the user can answer by number: those of the last reply (none: the earlier ones are forgotten). */
export function choicesOffered(replies: readonly Reply[]): string[] {
  return replies.at(-1)?.choices ?? [];
}

/** "2" (or "２", "2." ) read as the second of `offered`; the text itself otherwise. */
export function readNumberedChoice(text: string, offered: readonly string[]): string {
  const m = /^\s*([0-9０-９]{1,2})\s*[.。、]?\s*$/.exec(text);
  if (!m?.[1]) return text;
  const n = Number(m[1].replace(/[０-９]/g, (d) => String(d.charCodeAt(0) - 0xff10)));
  return offered[n - 1] ?? text;
}
