// Reply → Telegram messages: HTML parse mode (only & < > escaped), ≤ 4096 characters each, choices as buttons.
// https://core.telegram.org/bots/api#html-style · https://core.telegram.org/bots/api#inlinekeyboardbutton
import type { Reply } from "../../shared/chat.ts";
import { splitText } from "../split-text.ts";
import type { TelegramMessage } from "./types.ts";

/** Telegram's limit on a message's text (after entity parsing; the escaped length bounds it). */
export const TEXT_LIMIT = 4096;

/** callback_data may hold 1–64 bytes; a choice travels as its index, read back from the message's keyboard. */
const CHOICE_DATA = /^c:(\d{1,2})$/;

const ESCAPES: Record<string, string> = { "&": "&amp;", "<": "&lt;", ">": "&gt;" };

/** The three characters HTML parse mode needs escaped (user text and clause text included). */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>]/g, (c) => ESCAPES[c] ?? c);
}

export interface InlineButton {
  text: string;
  callback_data: string;
}

/** One sendMessage call's text (already escaped) and keyboard. */
export interface OutgoingMessage {
  html: string;
  keyboard?: InlineButton[][];
}

/** Buttons in rows of three (two for long labels), each carrying `c:<index>`. */
export function keyboardFor(choices: readonly string[]): InlineButton[][] {
  const perRow = choices.some((c) => c.length > 6) ? 2 : 3;
  const rows: InlineButton[][] = [];
  choices.forEach((text, i) => {
    if (i % perRow === 0) rows.push([]);
    rows.at(-1)?.push({ text, callback_data: `c:${i}` });
  });
  return rows;
}

/**
 * Replies as messages: each reply's text escaped and split at line ends so no message exceeds
 * {@link TEXT_LIMIT}; its choices (if any) as an inline keyboard on its last piece.
 */
export function encodeReplies(replies: readonly Reply[]): OutgoingMessage[] {
  return replies.flatMap((reply) => {
    const pieces = splitText(reply.text, TEXT_LIMIT, (s) => escapeHtml(s).length).map(escapeHtml);
    if (pieces.length === 0) return [];
    const last = pieces.length - 1;
    return pieces.map((html, i) =>
      i === last && reply.choices?.length ? { html, keyboard: keyboardFor(reply.choices) } : { html },
    );
  });
}

/**
 * The choice a button press stands for: the label of the button whose data is `data`, in the keyboard of the
 * message it was pressed on. Undefined when the data is not ours or the message no longer shows its keyboard.
 */
export function choiceFromCallback(
  data: string | undefined,
  markup: TelegramMessage["reply_markup"],
): string | undefined {
  if (!data || !CHOICE_DATA.test(data)) return undefined;
  return markup?.inline_keyboard.flat().find((b) => b.callback_data === data)?.text;
}
