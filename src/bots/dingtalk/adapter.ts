// The DingTalk channel (Stream mode): record each robot callback durably, acknowledge it, answer from the inbox.
// https://open.dingtalk.com/document/orgapp/robot-overview
import { randomUUID } from "node:crypto";
import type { DWClientDownStream } from "dingtalk-stream";
import type { DurableInbox, InboxEntry } from "../../app/durable-inbox.ts";
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
import { InboxWorker } from "../inbox-worker.ts";
import { DEFAULT_RETRY, withRetry, type RetryPolicy } from "../retry.ts";
import { CHANNEL, decodeRobotMessage, msgIdOf } from "./decode.ts";
import { encodeReplies, type MarkdownMessage } from "./encode.ts";
import { postToSessionWebhook, RobotApi } from "./send-api.ts";
import { GuardedStreamClient } from "./stream-client.ts";
import { TOPIC_ROBOT, type DingTalkSettings, type ReplyRoute } from "./types.ts";

/** Tuning a test may shorten. */
export interface DingTalkTuning {
  retry?: RetryPolicy;
  pendingWaitsMs?: readonly number[];
  /** Default 90 s: longer than a turn with the optional LLM plus a send's retries. */
  claimIdleMs?: number;
  /** Default 2 h: a message older than this is not answered any more. */
  maxAgeMs?: number;
  blockMs?: number;
  baseBackoffMs?: number;
}

/** A session webhook this close to its expiry is not used (the request could arrive after it). */
const EXPIRY_MARGIN_MS = 30_000;

// All DWClients of a process share one subscriptions array (a module-level default in the SDK): one client.
let liveClient: symbol | undefined;

export class DingTalkAdapter implements ChannelAdapter {
  readonly name = CHANNEL;
  /** A message held this long by a worker without an answer is taken over by another (see claimIdleMs). */
  readonly timeBudgetMs: number;
  readonly #health: ChannelHealth;
  readonly #inbox: DurableInbox;
  readonly #api: RobotApi;
  readonly #retry: RetryPolicy;
  readonly #inFlight = new Set<Promise<unknown>>();
  readonly #id = Symbol(CHANNEL);
  #client: GuardedStreamClient | undefined;
  #worker: InboxWorker | undefined;

  constructor(
    private readonly settings: DingTalkSettings,
    private readonly deps: ChannelDeps,
    private readonly tuning: DingTalkTuning = {},
  ) {
    this.timeBudgetMs = tuning.claimIdleMs ?? 90_000;
    this.#health = new ChannelHealth(CHANNEL, deps.clock);
    this.#inbox = deps.inbox(CHANNEL);
    this.#retry = tuning.retry ?? DEFAULT_RETRY;
    this.#api = new RobotApi(
      settings.apiBase ?? "https://api.dingtalk.com",
      settings.clientId,
      settings.clientSecret,
      () => deps.clock.now().getTime(),
    );
  }

  status(): ChannelStatus {
    return this.#health.get();
  }

  /** Connects the stream and starts the inbox worker; rejects with the first connection failure (it keeps retrying). */
  async start(): Promise<void> {
    if (liveClient && liveClient !== this.#id)
      throw new Error("one DingTalk Stream client per process is running already");
    liveClient = this.#id;
    this.#worker = new InboxWorker({
      inbox: this.#inbox,
      consumer: `${process.pid}-${randomUUID().slice(0, 8)}`,
      handle: (entry) => this.#answer(entry),
      orderKey: (entry) => decodeRobotMessage(entry.body)?.msg.user ?? entry.id,
      claimIdleMs: this.timeBudgetMs,
      maxAgeMs: this.tuning.maxAgeMs ?? 2 * 3_600_000,
      blockMs: this.tuning.blockMs ?? 1_000,
      clock: this.deps.clock,
      log: this.deps.log,
      name: CHANNEL,
    });
    this.#worker.start();
    const first = new Promise<string | undefined>((resolve) => {
      const client = new GuardedStreamClient({
        clientId: this.settings.clientId,
        clientSecret: this.settings.clientSecret,
        ...(this.settings.gatewayUrl ? { gatewayUrl: this.settings.gatewayUrl } : {}),
        ...(this.tuning.baseBackoffMs ? { baseBackoffMs: this.tuning.baseBackoffMs } : {}),
        onUp: () => {
          if (this.#health.set("up", { detail: "stream" }))
            this.deps.log.info(`${CHANNEL}: stream connected`);
          resolve(undefined);
        },
        onDown: (reason) => {
          if (this.#health.set("down", { reason })) this.deps.log.warn(`${CHANNEL}: down: ${reason}`);
          resolve(reason);
        },
      });
      client.registerCallbackListener(TOPIC_ROBOT, (frame) => {
        void this.#track(this.#receive(frame));
      });
      this.#client = client;
      void client.connect();
    });
    const failure = await first;
    if (failure !== undefined) throw new Error(failure);
  }

  async stop(): Promise<void> {
    this.#client?.stop();
    await Promise.all([...this.#inFlight]);
    await this.#worker?.stop();
    if (liveClient === this.#id) liveClient = undefined;
    if (this.#health.set("down", { reason: "stopped" })) this.deps.log.info(`${CHANNEL}: stopped`);
  }

  /** A proactive message through the robot APIs (reminders): a person's 1:1 chat or a group. */
  async send(target: SendTarget, replies: Reply[]): Promise<void> {
    const robotCode = this.settings.clientId;
    for (const m of encodeReplies(replies)) {
      await this.#withRetry(() =>
        target.kind === "direct"
          ? this.#api.sendToUser(robotCode, target.userId, m)
          : this.#api.sendToGroup(robotCode, target.groupId, m),
      );
    }
  }

  #track<T>(p: Promise<T>): Promise<T> {
    this.#inFlight.add(p);
    void p.finally(() => this.#inFlight.delete(p));
    return p;
  }

  #withRetry<T>(call: () => Promise<T>): Promise<T> {
    return withRetry(call, this.#retry, (err, attempt, waitMs) =>
      this.deps.log.warn(
        `${CHANNEL}: attempt ${attempt} failed (${errorSummary(err)}); again in ${waitMs} ms`,
      ),
    );
  }

  #ack(streamMessageId: string): void {
    this.#client?.socketCallBackResponse(streamMessageId, {});
  }

  /**
   * A robot callback: recorded in the inbox first, acknowledged after, so a process killed after the
   * acknowledgement loses nothing. A redelivery (same msgId) is acknowledged and not recorded again. When the
   * store cannot be reached the user is told "服务繁忙" through the session webhook, and the callback is
   * acknowledged (DingTalk would otherwise push it again and again).
   */
  async #receive(frame: DWClientDownStream): Promise<void> {
    const streamId = frame.headers.messageId;
    const msgId = msgIdOf(frame.data);
    if (!msgId) {
      this.deps.log.warn(
        `${CHANNEL}: callback ${streamId} without a readable msgId, acknowledged and dropped`,
      );
      this.#ack(streamId);
      return;
    }
    try {
      await this.#inbox.record(msgId, frame.data);
    } catch (err) {
      this.deps.log.warn(
        `${CHANNEL}: message ${msgId} not recorded (${errorSummary(err)}); user told to retry`,
      );
      const inbound = decodeRobotMessage(frame.data);
      if (inbound)
        await this.#reply(inbound.route, [{ text: BOT_MESSAGES.busy }]).catch((e: unknown) =>
          this.deps.log.warn(`${CHANNEL}: busy reply not delivered: ${errorSummary(e)}`),
        );
    }
    this.#ack(streamId);
  }

  /** An inbox entry answered (called by the worker, in any process). */
  async #answer(entry: InboxEntry): Promise<AnswerResult> {
    const inbound = decodeRobotMessage(entry.body);
    if (!inbound) {
      this.deps.log.warn(`${CHANNEL}: inbox entry ${entry.id} is not a robot message we can answer; dropped`);
      return "done";
    }
    return answerMessage(
      inbound.msg,
      (replies) => this.#reply(inbound.route, replies),
      this.deps,
      this.tuning.pendingWaitsMs,
    );
  }

  /** Through the session webhook while it lasts, else (late answers) through the robot send APIs. */
  async #reply(route: ReplyRoute, replies: Reply[]): Promise<void> {
    const viaWebhook = route.expiresAt - EXPIRY_MARGIN_MS > this.deps.clock.now().getTime();
    const messages = encodeReplies(replies, viaWebhook ? route.atUserId : undefined);
    for (const m of messages) await this.#withRetry(() => this.#deliver(route, m, viaWebhook));
  }

  #deliver(route: ReplyRoute, m: MarkdownMessage, viaWebhook: boolean): Promise<void> {
    if (viaWebhook) return postToSessionWebhook(route.sessionWebhook, m);
    const robotCode = route.robotCode ?? this.settings.clientId;
    if (route.groupId) return this.#api.sendToGroup(robotCode, route.groupId, m);
    return this.#api.sendToUser(robotCode, route.userId ?? "", m);
  }
}
