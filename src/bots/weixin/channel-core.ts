// What the WeChat and WeCom adapters share: health, the durable inbox and its worker, numbered choices, sends
// with retries. Each adapter keeps only its own wire (passive reply or not, its send API, its callback checks).
import { randomUUID } from "node:crypto";
import { MemoryChoiceMemory, type ChoiceMemory } from "../../app/choice-memory.ts";
import type { DurableInbox, InboxEntry } from "../../app/durable-inbox.ts";
import type { InboundMessage, Reply } from "../../shared/chat.ts";
import { answerMessage, errorSummary, type AnswerResult } from "../answer-message.ts";
import { ChannelHealth, type ChannelDeps, type ChannelStatus } from "../channel-adapter.ts";
import { InboxWorker } from "../inbox-worker.ts";
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from "../retry.ts";
import { choicesOffered, encodeTexts, readNumberedChoice } from "./encode.ts";
import type { WeixinEntry } from "./types.ts";

/** Tuning a test may shorten. */
export interface WeixinTuning {
  retry?: RetryPolicy;
  pendingWaitsMs?: readonly number[];
  /** An inbox entry held this long without an answer is taken over by another worker. Default 90 s. */
  claimIdleMs?: number;
  /** An entry older than this is not answered any more. Default 47 h (WeChat's 48 h window). */
  maxAgeMs?: number;
  blockMs?: number;
  /** WeChat: how long a turn may run before the callback is answered "success" (default 4.5 s of WeChat's 5). */
  passiveBudgetMs?: number;
}

/** Sends one encoded text (within the platform's limit) to one user, once; the core adds retries. */
export type SendText = (to: string, text: string) => Promise<void>;

export class WeixinChannelCore {
  readonly health: ChannelHealth;
  readonly inbox: DurableInbox;
  readonly #choices: ChoiceMemory;
  readonly #retry: RetryPolicy;
  readonly #inFlight = new Set<Promise<unknown>>();
  #worker: InboxWorker | undefined;

  constructor(
    readonly name: string,
    readonly deps: ChannelDeps,
    readonly tuning: WeixinTuning,
    private readonly sendText: SendText,
  ) {
    this.health = new ChannelHealth(name, deps.clock);
    this.inbox = deps.inbox(name);
    this.#choices = deps.choices ?? new MemoryChoiceMemory(deps.clock);
    this.#retry = tuning.retry ?? DEFAULT_RETRY;
  }

  status(): ChannelStatus {
    return this.health.get();
  }

  /** Starts the inbox worker (answers recorded messages, in any process). */
  startWorker(): void {
    this.#worker ??= new InboxWorker({
      inbox: this.inbox,
      consumer: `${process.pid}-${randomUUID().slice(0, 8)}`,
      handle: (entry) => this.answerEntry(entry),
      orderKey: (entry) => readEntry(entry.body)?.msg.user ?? entry.id,
      claimIdleMs: this.tuning.claimIdleMs ?? 90_000,
      maxAgeMs: this.tuning.maxAgeMs ?? 47 * 3_600_000,
      blockMs: this.tuning.blockMs ?? 1_000,
      clock: this.deps.clock,
      log: this.deps.log,
      name: this.name,
    });
    this.#worker.start();
  }

  /** Waits for the work in hand, then stops the worker. */
  async stop(): Promise<void> {
    await Promise.all([...this.#inFlight]);
    await this.#worker?.stop();
    if (this.health.set("down", { reason: "stopped" })) this.deps.log.info(`${this.name}: stopped`);
  }

  track<T>(p: Promise<T>): Promise<T> {
    this.#inFlight.add(p);
    void p.finally(() => this.#inFlight.delete(p)).catch(() => undefined);
    return p;
  }

  withRetry<T>(call: () => Promise<T>): Promise<T> {
    return withRetry(call, this.#retry, (err, attempt, waitMs) =>
      this.deps.log.warn(
        `${this.name}: attempt ${attempt} failed (${errorSummary(err)}); again in ${waitMs} ms`,
      ),
    );
  }

  /** The message with a bare number read as the choice it stands for (the store away: the text as sent). */
  async readChoice(msg: InboundMessage): Promise<InboundMessage> {
    if (!/^\s*[0-9０-９]{1,2}\s*[.。、]?\s*$/.test(msg.text)) return msg;
    try {
      return { ...msg, text: readNumberedChoice(msg.text, await this.#choices.recall(msg.user)) };
    } catch (err) {
      this.deps.log.warn(`${this.name}: choices not read: ${errorSummary(err)}`);
      return msg;
    }
  }

  /** Remembers the choices `replies` offer to `user` (so "2" can be read back); failures are only logged. */
  async rememberChoices(user: string, replies: readonly Reply[]): Promise<void> {
    await this.#choices
      .remember(user, choicesOffered(replies))
      .catch((err: unknown) => this.deps.log.warn(`${this.name}: choices not kept: ${errorSummary(err)}`));
  }

  /** Remembers the choices, then sends every message of `replies` to `to`, each with retries. */
  async deliver(to: string, user: string, replies: readonly Reply[]): Promise<void> {
    await this.rememberChoices(user, replies);
    await this.sendEncoded(to, encodeTexts(replies));
  }

  async sendEncoded(to: string, texts: string[]): Promise<void> {
    for (const text of texts) await this.withRetry(() => this.sendText(to, text));
  }

  /**
   * Records `entry` durably before the platform is answered; false for a redelivery already recorded. Rejects
   * when the store cannot be reached.
   */
  record(entry: WeixinEntry): Promise<boolean> {
    const key = entry.msg.messageId ?? randomUUID();
    return this.inbox.record(key, JSON.stringify(entry));
  }

  /** An inbox entry answered (by the worker, in any process): the hint, or the turn's replies. */
  async answerEntry(raw: InboxEntry): Promise<AnswerResult> {
    const entry = readEntry(raw.body);
    if (!entry) {
      this.deps.log.warn(`${this.name}: inbox entry ${raw.id} unreadable; dropped`);
      return "done";
    }
    if (entry.hint !== undefined) {
      const hint = entry.hint;
      return this.sendEncoded(entry.to, encodeTexts([{ text: hint }])).then(
        (): AnswerResult => "done",
        (err: unknown) => {
          this.deps.log.error(`${this.name}: replies not delivered, dropped: ${errorSummary(err)}`);
          return "done";
        },
      );
    }
    return answerMessage(
      entry.msg,
      (replies) => this.deliver(entry.to, entry.msg.user, replies),
      this.deps,
      this.tuning.pendingWaitsMs,
    );
  }
}

/** An inbox entry's body read back; undefined when it is not one of ours. */
export function readEntry(body: string): WeixinEntry | undefined {
  try {
    const e = JSON.parse(body) as Partial<WeixinEntry>;
    if (
      !e.msg ||
      typeof e.msg.text !== "string" ||
      typeof e.msg.user !== "string" ||
      typeof e.to !== "string"
    )
      return undefined;
    return e as WeixinEntry;
  } catch {
    return undefined;
  }
}
