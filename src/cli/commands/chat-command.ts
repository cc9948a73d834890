// `chat`: a conversation on the terminal through the same dialog as every bot.
import { createInterface } from "node:readline";
import type { Readable } from "node:stream";
import type { InboundMessage, Reply } from "../../shared/chat.ts";
import type { Io } from "../services.ts";
import { CHAT_MESSAGES } from "../../i18n/chat-messages.ts";

export type ChatFn = (msg: InboundMessage) => Promise<{ replies: Reply[] }>;

function renderReply(reply: Reply): string {
  const lines = [reply.text];
  if (reply.citations?.length)
    lines.push(...reply.citations.map((c) => `  出处：${c.docNumber ?? c.title} ${c.path}`));
  if (reply.choices?.length) lines.push(`  可选：${reply.choices.join(" / ")}`);
  return lines.join("\n");
}

/** Reads lines until end of input; each line is one message of the local user. */
export async function chatCommand(chat: ChatFn, io: Io, input: Readable, user = "terminal"): Promise<number> {
  const interactive = "isTTY" in input && input.isTTY === true;
  const rl = createInterface({
    input,
    ...(interactive ? { output: io.stdout, prompt: CHAT_MESSAGES.chatPrompt } : {}),
  });
  io.stdout.write(`${CHAT_MESSAGES.chatWelcome}\n`);
  if (interactive) rl.prompt();
  for await (const line of rl) {
    const { replies } = await chat({ channel: "terminal", user, text: line });
    for (const r of replies) io.stdout.write(`${renderReply(r)}\n\n`);
    if (interactive) rl.prompt();
  }
  return 0;
}
