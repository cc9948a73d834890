// A local fake of Telegram's Bot API on 127.0.0.1: the methods the adapter calls, with Telegram's rules and errors.
// https://core.telegram.org/bots/api
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

export interface FakeUser {
  id: number;
  first_name: string;
  username?: string;
}

export interface FakeChat {
  id: number;
  type: "private" | "group" | "supergroup";
}

export type Button = { text: string; callback_data?: string };
export type Keyboard = { inline_keyboard: Button[][] };

/** A message the bot sent, as the fake keeps it. */
export interface SentMessage {
  message_id: number;
  chat: FakeChat;
  date: number;
  text: string;
  raw: string;
  parse_mode?: string;
  reply_markup?: Keyboard;
  reply_to?: number;
  from: { id: number; is_bot: true; first_name: string; username: string };
}

/** What a scripted failure answers instead of the method. */
export type Failure =
  | { status: 500 | 502 | 503 }
  | { status: 429; retryAfter: number }
  | { status: 400 | 403; description: string };

export interface Call {
  method: string;
  at: number;
  body: Record<string, unknown>;
}

type Update = { update_id: number } & Record<string, unknown>;

const HTML_TAGS = /^<\/?(b|strong|i|em|u|ins|s|strike|del|a|code|pre|tg-spoiler|span|blockquote)(\s[^>]*)?>/;
const HTML_ENTITY = /^&(amp|lt|gt|quot|#\d+|#x[0-9a-f]+);/i;

/** The text Telegram shows for an HTML message, or the error it answers (a bare < or & is an error). */
export function parseHtml(html: string): { text: string } | { error: string } {
  let text = "";
  for (let i = 0; i < html.length;) {
    const rest = html.slice(i);
    if (html[i] === "<") {
      const tag = HTML_TAGS.exec(rest);
      if (!tag)
        return { error: `Bad Request: can't parse entities: Unsupported start tag at byte offset ${i}` };
      i += tag[0].length;
    } else if (html[i] === "&") {
      const entity = HTML_ENTITY.exec(rest);
      if (!entity)
        return { error: `Bad Request: can't parse entities: Unsupported entity at byte offset ${i}` };
      const name = (entity[1] ?? "").toLowerCase();
      text += name === "amp" ? "&" : name === "lt" ? "<" : name === "gt" ? ">" : name === "quot" ? '"' : "?";
      i += entity[0].length;
    } else {
      text += html[i];
      i++;
    }
  }
  return { text };
}

/** A Bot API answer. */
function reply(res: ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { "content-type": "application/json" });
  res.end(JSON.stringify(body));
}

const fail = (res: ServerResponse, code: number, description: string, parameters?: object) =>
  reply(res, code, { ok: false, error_code: code, description, ...(parameters ? { parameters } : {}) });

/** The fake Bot API. One bot (token); updates are queued by the test and handed out by getUpdates. */
export class FakeTelegram {
  readonly bot = {
    id: 7_000_001,
    is_bot: true as const,
    first_name: "职称助手",
    username: "zhicheng_test_bot",
  };
  readonly sent: SentMessage[] = [];
  readonly calls: Call[] = [];
  readonly callbackAnswers: Array<{ callback_query_id: string; text?: string }> = [];
  readonly edits: Array<{ chat_id: unknown; message_id: unknown; reply_markup?: unknown }> = [];
  commands: unknown[] = [];
  webhook: { url: string; secret_token?: string } | undefined;
  /** getUpdates requests cut short by a newer one (409), as Telegram does with two pollers. */
  conflicts = 0;
  /** The highest offset a getUpdates confirmed: every update below it is gone for good. */
  confirmedOffset = 0;
  /** Called with each message the bot sends (after it was accepted), e.g. to time replies. */
  onSent: ((m: SentMessage) => void) | undefined;

  readonly #server: Server;
  readonly #failures = new Map<string, Failure[]>();
  #updates: Update[] = [];
  /** Updates handed out again whatever the offset (a redelivery), and the getUpdates call that took them. */
  #forced: Update[] = [];
  #forcedTakenBy: number | undefined;
  // Telegram starts a bot's update_ids at an arbitrary positive number.
  #nextUpdateId = 100_000 + Math.floor(Math.random() * 1_000_000) * 100;
  #nextMessageId = 1;
  #waiting: { res: ServerResponse; timer: NodeJS.Timeout; offset: number; limit: number } | undefined;

  private constructor(readonly token: string) {
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  static async start(token = "123456:TEST-token"): Promise<FakeTelegram> {
    const fake = new FakeTelegram(token);
    await new Promise<void>((resolve) => fake.#server.listen(0, "127.0.0.1", resolve));
    return fake;
  }

  get apiRoot(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    if (this.#waiting) {
      clearTimeout(this.#waiting.timer);
      reply(this.#waiting.res, 200, { ok: true, result: [] });
      this.#waiting = undefined;
    }
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** The next calls of `method` fail as scripted, in order. */
  failNext(method: string, ...failures: Failure[]): void {
    this.#failures.set(method, [...(this.#failures.get(method) ?? []), ...failures]);
  }

  callsOf(method: string): Call[] {
    return this.calls.filter((c) => c.method === method);
  }

  /** Queues an update as Telegram would (a fresh update_id unless given: a redelivery keeps its id). */
  push(update: Omit<Update, "update_id"> & { update_id?: number }): Update {
    const full = { ...update, update_id: update.update_id ?? this.#nextUpdateId++ } as Update;
    this.#updates.push(full);
    this.#updates.sort((a, b) => a.update_id - b.update_id);
    this.#flush();
    return full;
  }

  /** A user's text message. `mention` puts "@bot " in front (a mention entity); a leading /cmd gets its entity. */
  says(
    chat: FakeChat,
    from: FakeUser,
    text: string,
    opts: { mention?: boolean; replyTo?: SentMessage } = {},
  ): Update {
    const full = opts.mention ? `@${this.bot.username} ${text}` : text;
    const entities: Array<Record<string, unknown>> = [];
    if (opts.mention) entities.push({ type: "mention", offset: 0, length: this.bot.username.length + 1 });
    const command = /^\/[A-Za-z0-9_]+(@[A-Za-z0-9_]+)?/.exec(full);
    if (command) entities.push({ type: "bot_command", offset: 0, length: command[0].length });
    return this.push({
      message: {
        message_id: this.#nextMessageId++,
        from: { ...from, is_bot: false },
        chat,
        date: Math.floor(Date.now() / 1000),
        text: full,
        ...(entities.length ? { entities } : {}),
        ...(opts.replyTo
          ? { reply_to_message: { message_id: opts.replyTo.message_id, from: this.bot, chat, date: 0 } }
          : {}),
      },
    });
  }

  /** A press on the button labelled `label` of a message the bot sent. */
  presses(from: FakeUser, message: SentMessage, label: string): Update {
    const button = message.reply_markup?.inline_keyboard.flat().find((b) => b.text === label);
    if (!button?.callback_data) throw new Error(`no button "${label}" on message ${message.message_id}`);
    return this.push({
      callback_query: {
        id: `cb-${this.#nextUpdateId}`,
        from: { ...from, is_bot: false },
        chat_instance: "1",
        message: {
          message_id: message.message_id,
          from: message.from,
          chat: message.chat,
          date: message.date,
          text: message.text,
          ...(message.reply_markup ? { reply_markup: message.reply_markup } : {}),
        },
        data: button.callback_data,
      },
    });
  }

  /**
   * Hands `update` out again with the next getUpdates, whatever its offset (as Telegram does for updates a poller
   * that died never confirmed); resolves once the poller asked for more after it (it handled the batch).
   */
  async redeliver(update: Update, timeoutMs = 15_000): Promise<void> {
    this.#forced.push(update);
    this.#forcedTakenBy = undefined;
    this.#flush();
    await this.until(
      () => this.#forcedTakenBy !== undefined && this.callsOf("getUpdates").length > this.#forcedTakenBy,
      timeoutMs,
      `redelivered update ${update.update_id} handled`,
    );
  }

  /** Resolves once getUpdates was called with an offset past `update` (the poller handled it), or rejects. */
  async handled(update: Update, timeoutMs = 15_000): Promise<void> {
    await this.until(
      () => this.confirmedOffset > update.update_id,
      timeoutMs,
      `update ${update.update_id} handled`,
    );
  }

  /** Polls `condition` every 20 ms. */
  async until(condition: () => boolean, timeoutMs = 15_000, what = "condition"): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  sentTo(chatId: number): SentMessage[] {
    return this.sent.filter((m) => m.chat.id === chatId);
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const match = /^\/bot([^/]+)\/([A-Za-z]+)$/.exec(req.url ?? "");
    let raw = "";
    for await (const chunk of req) raw += String(chunk);
    if (!match || req.method !== "POST") return fail(res, 404, "Not Found");
    if (match[1] !== this.token) return fail(res, 401, "Unauthorized");
    const method = match[2] ?? "";
    let body: Record<string, unknown>;
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      return fail(res, 400, "Bad Request: invalid JSON");
    }
    this.calls.push({ method, at: Date.now(), body });
    const scripted = this.#failures.get(method)?.shift();
    if (scripted) {
      if (scripted.status === 429)
        return fail(res, 429, `Too Many Requests: retry after ${scripted.retryAfter}`, {
          retry_after: scripted.retryAfter,
        });
      if (scripted.status >= 500) return fail(res, scripted.status, "Internal Server Error");
      return fail(res, scripted.status, "description" in scripted ? scripted.description : "Bad Request");
    }
    switch (method) {
      case "getMe":
        return reply(res, 200, { ok: true, result: { ...this.bot, can_join_groups: true } });
      case "deleteWebhook":
        this.webhook = undefined;
        return reply(res, 200, { ok: true, result: true });
      case "setWebhook":
        this.webhook = {
          url: String(body.url),
          ...(typeof body.secret_token === "string" ? { secret_token: body.secret_token } : {}),
        };
        return reply(res, 200, { ok: true, result: true });
      case "setMyCommands":
        this.commands = Array.isArray(body.commands) ? body.commands : [];
        return reply(res, 200, { ok: true, result: true });
      case "getUpdates":
        return this.#getUpdates(body, res);
      case "sendMessage":
        return this.#sendMessage(body, res);
      case "answerCallbackQuery":
        this.callbackAnswers.push({
          callback_query_id: String(body.callback_query_id),
          ...(typeof body.text === "string" ? { text: body.text } : {}),
        });
        return reply(res, 200, { ok: true, result: true });
      case "editMessageReplyMarkup": {
        this.edits.push({
          chat_id: body.chat_id,
          message_id: body.message_id,
          reply_markup: body.reply_markup,
        });
        const m = this.sent.find(
          (s) => s.message_id === body.message_id && String(s.chat.id) === String(body.chat_id),
        );
        if (!m) return fail(res, 400, "Bad Request: message to edit not found");
        if (body.reply_markup) m.reply_markup = body.reply_markup as Keyboard;
        else delete m.reply_markup;
        return reply(res, 200, { ok: true, result: m });
      }
      default:
        return fail(res, 404, "Not Found: method not found");
    }
  }

  #getUpdates(body: Record<string, unknown>, res: ServerResponse): void {
    if (this.webhook) return fail(res, 409, "Conflict: can't use getUpdates method while webhook is active");
    // Telegram keeps one long poll per bot: a newer request cuts the older one short with 409.
    if (this.#waiting) {
      clearTimeout(this.#waiting.timer);
      fail(
        this.#waiting.res,
        409,
        "Conflict: terminated by other getUpdates request; make sure that only one bot instance is running",
      );
      this.conflicts++;
      this.#waiting = undefined;
    }
    const offset = Number(body.offset ?? 0);
    const limit = Number(body.limit ?? 100);
    const timeout = Number(body.timeout ?? 0);
    if (offset > 0) {
      this.confirmedOffset = Math.max(this.confirmedOffset, offset);
      this.#updates = this.#updates.filter((u) => u.update_id >= offset);
    }
    const ready = this.#take(offset, limit);
    if (ready.length > 0 || timeout <= 0) return reply(res, 200, { ok: true, result: ready });
    const timer = setTimeout(() => {
      this.#waiting = undefined;
      reply(res, 200, { ok: true, result: [] });
    }, timeout * 1000);
    this.#waiting = { res, timer, offset, limit };
    res.on("close", () => {
      if (this.#waiting?.res === res) {
        clearTimeout(timer);
        this.#waiting = undefined;
      }
    });
  }

  /** Answers the waiting long poll when updates arrive. */
  #flush(): void {
    const w = this.#waiting;
    if (!w) return;
    const ready = this.#take(w.offset, w.limit);
    if (ready.length === 0) return;
    clearTimeout(w.timer);
    this.#waiting = undefined;
    reply(w.res, 200, { ok: true, result: ready });
  }

  /** The updates a getUpdates call gets: forced redeliveries first, then those at or past `offset`. */
  #take(offset: number, limit: number): Update[] {
    const forced = this.#forced.splice(0);
    if (forced.length > 0) this.#forcedTakenBy = this.callsOf("getUpdates").length;
    return [...forced, ...this.#updates.filter((u) => u.update_id >= offset)].slice(0, limit);
  }

  #sendMessage(body: Record<string, unknown>, res: ServerResponse): void {
    const chatId = Number(body.chat_id);
    const raw = typeof body.text === "string" ? body.text : "";
    const parsed = body.parse_mode === "HTML" ? parseHtml(raw) : { text: raw };
    if ("error" in parsed) return fail(res, 400, parsed.error);
    if (parsed.text.trim().length === 0) return fail(res, 400, "Bad Request: message text is empty");
    if (parsed.text.length > 4096) return fail(res, 400, "Bad Request: message is too long");
    const markup = body.reply_markup as Keyboard | undefined;
    for (const b of markup?.inline_keyboard.flat() ?? []) {
      const bytes = Buffer.byteLength(b.callback_data ?? "", "utf8");
      if (bytes < 1 || bytes > 64) return fail(res, 400, "Bad Request: BUTTON_DATA_INVALID");
    }
    const replyTo = (body.reply_parameters as { message_id?: number } | undefined)?.message_id;
    const message: SentMessage = {
      message_id: this.#nextMessageId++,
      chat: { id: chatId, type: chatId < 0 ? "supergroup" : "private" },
      date: Math.floor(Date.now() / 1000),
      text: parsed.text,
      raw,
      ...(typeof body.parse_mode === "string" ? { parse_mode: body.parse_mode } : {}),
      ...(markup ? { reply_markup: markup } : {}),
      ...(replyTo !== undefined ? { reply_to: replyTo } : {}),
      from: this.bot,
    };
    this.sent.push(message);
    this.onSent?.(message);
    reply(res, 200, { ok: true, result: message });
  }
}
