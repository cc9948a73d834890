// The Telegram channel: long polling (one poller per token) or a webhook, each update answered through the turn.
// https://core.telegram.org/bots/api
import { createHash, randomUUID } from "node:crypto";
import { Telegram } from "telegraf";
import { BOT_MESSAGES } from "../../i18n/bot-messages.ts";
import type { Reply } from "../../shared/chat.ts";
import { answerMessage, errorSummary, type AnswerResult } from "../answer-message.ts";
import {
  ChannelHealth,
  type ChannelAdapter,
  type ChannelDeps,
  type ChannelStatus,
  type SendTarget,
} from "../channel-adapter.ts";
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from "../retry.ts";
import { callTelegram } from "./api.ts";
import { CHANNEL, decodeUpdate } from "./decode.ts";
import { encodeReplies } from "./encode.ts";
import { Poller, type PollerState } from "./poller.ts";
import { ALLOWED_UPDATES, type BotIdentity, type TelegramSettings } from "./types.ts";
import { createWebhookHandler, SECRET_TOKEN, type TelegramWebhookHandler } from "./webhook.ts";

/** Tuning a test may shorten. */
export interface TelegramTuning {
  retry?: RetryPolicy;
  pendingWaitsMs?: readonly number[];
}

/** Telegram sends a webhook update again when it has no answer in about 60 s. */
const TIME_BUDGET_MS = 50_000;

/** The chat an update belongs to, so one chat's updates in a batch are handled in order. */
function chatOf(update: unknown): string {
  const u = update as {
    message?: { chat?: { id?: unknown } };
    callback_query?: { message?: { chat?: { id?: unknown } }; from?: { id?: unknown } };
  };
  const id = u.message?.chat?.id ?? u.callback_query?.message?.chat?.id ?? u.callback_query?.from?.id;
  return String(id);
}

export class TelegramAdapter implements ChannelAdapter {
  readonly name = CHANNEL;
  readonly timeBudgetMs = TIME_BUDGET_MS;
  readonly #telegram: Telegram;
  readonly #health: ChannelHealth;
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #retry: RetryPolicy;
  #me: BotIdentity | undefined;
  #poller: Poller | undefined;
  #webhook: TelegramWebhookHandler | undefined;

  constructor(
    private readonly settings: TelegramSettings,
    private readonly deps: ChannelDeps,
    private readonly tuning: TelegramTuning = {},
  ) {
    this.#telegram = new Telegram(settings.token, {
      apiRoot: settings.apiRoot ?? "https://api.telegram.org",
      webhookReply: false,
    });
    this.#health = new ChannelHealth(CHANNEL, deps.clock);
    this.#retry = tuning.retry ?? DEFAULT_RETRY;
  }

  status(): ChannelStatus {
    return this.#health.get();
  }

  /** The handler for `/telegram/webhook`; undefined in polling mode. */
  get webhookHandler(): TelegramWebhookHandler | undefined {
    return this.#webhook;
  }

  async start(): Promise<void> {
    const { webhook } = this.settings;
    try {
      if (webhook && !SECRET_TOKEN.test(webhook.secret))
        throw new Error("TELEGRAM_WEBHOOK_SECRET must be 1-256 characters of A-Z a-z 0-9 _ -");
      const me = await this.#call((t) => t.getMe());
      if (!me.username) throw new Error("getMe returned no username");
      this.#me = { id: me.id, username: me.username };
      await this.#call((t) => t.setMyCommands([...BOT_MESSAGES.commands])).catch((err: unknown) =>
        this.deps.log.warn(`${CHANNEL}: setMyCommands failed: ${errorSummary(err)}`),
      );
      if (webhook) {
        this.#webhook = createWebhookHandler(
          webhook.secret,
          (u) => this.#track(this.#handle(u)),
          TIME_BUDGET_MS,
        );
        await this.#call((t) =>
          t.setWebhook(webhook.url, { secret_token: webhook.secret, allowed_updates: [...ALLOWED_UPDATES] }),
        );
        this.#setState({ kind: "up", detail: "webhook" });
        return;
      }
      // A webhook left from an earlier deploy would make getUpdates fail with 409.
      await this.#call((t) => t.deleteWebhook());
    } catch (err) {
      this.#setState({ kind: "down", reason: errorSummary(err) });
      throw err;
    }
    this.#poller = new Poller({
      telegram: this.#telegram,
      lock: this.deps.lock,
      // One lease per bot token; the key holds a hash of the token, never the token.
      lockName: `telegram:poller:${createHash("sha256").update(this.settings.token).digest("hex").slice(0, 16)}`,
      owner: randomUUID(),
      leaseMs: this.settings.leaseMs ?? 30_000,
      timeoutSeconds: this.settings.pollTimeoutSeconds ?? 50,
      handleBatch: (updates) => this.#handleBatch(updates),
      onState: (s) => this.#onPoller(s),
    });
    this.#poller.start();
  }

  async stop(): Promise<void> {
    await this.#poller?.stop();
    await Promise.all([...this.#inFlight]);
    if (this.#health.set("down", { reason: "stopped" })) this.deps.log.info(`${CHANNEL}: stopped`);
  }

  async send(target: SendTarget, replies: Reply[]): Promise<void> {
    const chatId = target.kind === "direct" ? target.userId : target.groupId;
    await this.#sendTo(chatId, replies);
  }

  #onPoller(s: PollerState): void {
    if (s.kind === "down") this.#setState({ kind: "down", reason: s.reason });
    else
      this.#setState({
        kind: "up",
        detail: s.kind === "polling" ? "long polling" : "standby (another replica polls)",
      });
  }

  #setState(s: { kind: "up"; detail: string } | { kind: "down"; reason: string }): void {
    const changed =
      s.kind === "up"
        ? this.#health.set("up", { detail: s.detail })
        : this.#health.set("down", { reason: s.reason });
    if (!changed) return;
    if (s.kind === "up") this.deps.log.info(`${CHANNEL}: ${s.detail}`);
    else this.deps.log.warn(`${CHANNEL}: down: ${s.reason}`);
  }

  #call<T>(call: (t: Telegram) => Promise<T>): Promise<T> {
    return withRetry(
      () => callTelegram(call, this.#telegram),
      this.#retry,
      (err, attempt, waitMs) =>
        this.deps.log.warn(
          `${CHANNEL}: attempt ${attempt} failed (${errorSummary(err)}); again in ${waitMs} ms`,
        ),
    );
  }

  #track<T>(p: Promise<T>): Promise<T> {
    this.#inFlight.add(p);
    void p.finally(() => this.#inFlight.delete(p));
    return p;
  }

  /** One batch: chats in parallel, each chat's updates in order. */
  async #handleBatch(updates: unknown[]): Promise<void> {
    const byChat = new Map<string, unknown[]>();
    for (const u of updates) byChat.set(chatOf(u), [...(byChat.get(chatOf(u)) ?? []), u]);
    await Promise.all(
      [...byChat.values()].map(async (list) => {
        for (const u of list) await this.#track(this.#handle(u));
      }),
    );
  }

  /** Handles one update; never rejects (failures are logged, the user gets a Chinese message). */
  async #handle(update: unknown): Promise<AnswerResult> {
    const me = this.#me;
    if (!me) return "retry-later";
    try {
      const inbound = decodeUpdate(update, me);
      if (!inbound) return "done";
      if ("expired" in inbound) {
        await this.#call((t) => t.answerCbQuery(inbound.callbackId, BOT_MESSAGES.choiceExpired));
        return "done";
      }
      const { callback } = inbound;
      if (callback) {
        // Answer the press at once (the button stops spinning) and take the keyboard away (no double choice).
        await this.#call((t) => t.answerCbQuery(callback.id)).catch((err: unknown) =>
          this.deps.log.warn(`${CHANNEL}: answerCallbackQuery failed: ${errorSummary(err)}`),
        );
        if (callback.messageId !== undefined) {
          const messageId = callback.messageId;
          await this.#call((t) =>
            t.editMessageReplyMarkup(inbound.chatId, messageId, undefined, undefined),
          ).catch((err: unknown) =>
            this.deps.log.warn(`${CHANNEL}: editMessageReplyMarkup failed: ${errorSummary(err)}`),
          );
        }
      }
      const conversation = inbound.msg.conversation;
      // https://core.telegram.org/bots/api#getchatmember — asked only when a group subscription needs it.
      const msg =
        conversation?.kind === "group"
          ? {
              ...inbound.msg,
              isSenderAdmin: () =>
                this.#call((t) => t.getChatMember(inbound.chatId, Number(conversation.userId))).then(
                  (m) => m.status === "creator" || m.status === "administrator",
                ),
            }
          : inbound.msg;
      return await answerMessage(
        msg,
        (replies) => this.#sendTo(inbound.chatId, replies, inbound.replyTo),
        this.deps,
        this.tuning.pendingWaitsMs,
      );
    } catch (err) {
      this.deps.log.error(`${CHANNEL}: update not handled: ${errorSummary(err)}`);
      return "retry-later";
    }
  }

  async #sendTo(chatId: number | string, replies: Reply[], replyTo?: number): Promise<void> {
    let first = true;
    for (const m of encodeReplies(replies)) {
      const replyParameters =
        first && replyTo !== undefined
          ? { reply_parameters: { message_id: replyTo, allow_sending_without_reply: true } }
          : {};
      await this.#call((t) =>
        t.sendMessage(chatId, m.html, {
          parse_mode: "HTML",
          ...replyParameters,
          ...(m.keyboard ? { reply_markup: { inline_keyboard: m.keyboard } } : {}),
        }),
      );
      first = false;
    }
  }
}
