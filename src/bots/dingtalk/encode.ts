// Reply → DingTalk markdown messages: hard line breaks, quick replies as a line, the sender @-mentioned in groups.
// https://open.dingtalk.com/document/orgapp/robot-reply-and-send-messages
import { BOT_MESSAGES } from "../../i18n/bot-messages.ts";
import type { Reply } from "../../shared/chat.ts";
import { splitText } from "../split-text.ts";

/** Characters per message (DingTalk's own limit is unpublished for session webhooks: stay well under 20 KB). */
export const TEXT_LIMIT = 3_000;

/** Room kept in every piece for the "@staffId " in front of a group answer. */
const MENTION_RESERVE = 64;

/** Length of a piece once encoded: each newline becomes "  \n". */
const encodedLength = (ch: string) => (ch === "\n" ? 3 : ch.length);

/** The body of one session-webhook POST (and, as `msgParam`, of the robot send APIs). */
export interface MarkdownMessage {
  msgtype: "markdown";
  markdown: { title: string; text: string };
  at?: { atUserIds: string[] };
}

/** Markdown needs two spaces before a newline for a line break; a blank line stays a paragraph break. */
function hardBreaks(text: string): string {
  return text.replace(/\n/g, "  \n");
}

/** The notification preview: the first line, shortened. */
function titleOf(text: string): string {
  const first = text.split("\n", 1)[0]?.trim() ?? "";
  return first.length > 20 ? `${first.slice(0, 20)}…` : first || "职称助手";
}

/**
 * Replies as markdown messages of at most {@link TEXT_LIMIT} characters once encoded, split at line ends; choices as a
 * "可回复：…" line (DingTalk robots have no quick-reply buttons in a session reply). In a group the first message
 * @-mentions `atUserId` (the mention must also appear in the text for DingTalk to show it).
 */
export function encodeReplies(replies: readonly Reply[], atUserId?: string): MarkdownMessage[] {
  const texts = replies.flatMap((r) => {
    const full = r.choices?.length ? `${r.text}\n${BOT_MESSAGES.choicesLine(r.choices)}` : r.text;
    return splitText(full, TEXT_LIMIT - MENTION_RESERVE, (piece) =>
      [...piece].reduce((n, ch) => n + encodedLength(ch), 0),
    );
  });
  return texts.map((text, i) => {
    const mention = i === 0 && atUserId ? `@${atUserId} ` : "";
    return {
      msgtype: "markdown",
      markdown: { title: titleOf(text), text: hardBreaks(`${mention}${text}`) },
      ...(mention && atUserId ? { at: { atUserIds: [atUserId] } } : {}),
    };
  });
}
