// The DingTalk channel under test: dingtalk-stream's DWClient against the fake gateway, started as main.ts would.
import { Redis } from "ioredis";
import type { ChatTurnFn } from "../../../src/app/group-policy.ts";
import { TEXT_LIMIT } from "../../../src/bots/dingtalk/encode.ts";
import {
  startChannels,
  type ChannelConfig,
  type Channels,
  type ChannelTuning,
} from "../../../src/bots/start-channels.ts";
import {
  FakeDingTalk,
  type Pushed,
  type Received,
  type WebhookFailure,
  type Where,
} from "../../fakes/fake-dingtalk.ts";
import type { ChannelHarness, ChannelUnderTest, Conv, Delivered } from "../channel-contract.ts";
import { channelEnv, type ChannelEnv } from "./channel-env.ts";
import { FAST_RETRY } from "./telegram-harness.ts";

export const DINGTALK_TUNING: ChannelTuning = {
  dingtalk: {
    retry: FAST_RETRY,
    pendingWaitsMs: [50, 100, 200],
    claimIdleMs: 3_000,
    blockMs: 200,
    baseBackoffMs: 100,
  },
};

const FAILURES: Record<"5xx" | "429" | "refused", WebhookFailure> = {
  "5xx": { status: 500 },
  "429": { status: 429, retryAfter: 1 },
  refused: { errcode: 400013 },
};

/** The inbox's stream key under a deployment prefix (see RedisInbox). */
export const inboxStream = (prefix: string) => `${prefix}ch:{inbox:dingtalk}:stream`;

/** The fake's config for startChannels. */
export function dingtalkConfig(fake: FakeDingTalk): ChannelConfig {
  return {
    DINGTALK_CLIENT_ID: fake.clientId,
    DINGTALK_CLIENT_SECRET: fake.clientSecret,
    DINGTALK_GATEWAY_URL: fake.gatewayUrl,
    DINGTALK_API_BASE: fake.base,
  };
}

/** A reply as the user reads it: the @-mention and markdown line breaks taken off, the "可回复：" line read. */
export function readReply(r: Received, staffId?: string): Delivered {
  const raw = r.text;
  const mention = staffId ? `@${staffId} ` : undefined;
  const addressesSender =
    mention !== undefined &&
    raw.startsWith(mention) &&
    ((r.body.at as { atUserIds?: string[] } | undefined)?.atUserIds ?? []).includes(staffId ?? "");
  const lines = (addressesSender && mention ? raw.slice(mention.length) : raw).split("  \n");
  const last = lines.at(-1) ?? "";
  const choices = last.startsWith("可回复：") ? last.slice("可回复：".length).split(" / ") : [];
  return {
    text: (choices.length ? lines.slice(0, -1) : lines).join("\n"),
    choices,
    size: raw.length,
    addressesSender,
  };
}

export class DingTalkUnderTest implements ChannelUnderTest {
  readonly #last = new Map<string, Pushed>();
  readonly #admin: Redis;

  constructor(
    readonly fake: FakeDingTalk,
    readonly env: ChannelEnv,
    readonly channels: Channels,
    private readonly prefix: string,
    redisUrl: string,
  ) {
    this.#admin = new Redis(redisUrl, {
      enableOfflineQueue: false,
      maxRetriesPerRequest: 0,
      lazyConnect: false,
    });
    this.#admin.on("error", () => undefined);
  }

  static async start(
    opts: { redisUrl: string; prefix: string; turn?: ChatTurnFn },
    extra: { tuning?: ChannelTuning; prepare?: (env: ChannelEnv) => void } = {},
  ): Promise<DingTalkUnderTest> {
    const fake = await FakeDingTalk.start();
    const env = await channelEnv(opts);
    extra.prepare?.(env);
    const channels = await startChannels(dingtalkConfig(fake), env.deps, extra.tuning ?? DINGTALK_TUNING);
    return new DingTalkUnderTest(fake, env, channels, opts.prefix, opts.redisUrl);
  }

  where(conv: Conv): Where {
    return conv.group ? { kind: "group", conversationId: `cid-${conv.group}` } : { kind: "direct" };
  }

  /** Resolves once `pushed` was acknowledged `acks` times and the inbox is empty (every entry answered). */
  async settled(pushed: Pushed, acks = 1): Promise<void> {
    await this.fake.until(
      () => this.fake.acks.filter((a) => a.messageId === pushed.streamMessageId).length >= acks,
      15_000,
      `ack of ${pushed.msgId}`,
    );
    const deadline = Date.now() + 15_000;
    for (;;) {
      const left = await this.#admin.xlen(inboxStream(this.prefix)).catch(() => undefined);
      // Redis away: nothing was recorded; the answer (服务繁忙) went straight out.
      if (left === 0 || (left === undefined && this.fake.repliesTo(pushed).length > 0)) return;
      if (Date.now() > deadline) throw new Error(`inbox not worked off (${left} left)`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async say(conv: Conv, text: string): Promise<Delivered[]> {
    const pushed = this.fake.push({ staffId: conv.user }, this.where(conv), text);
    this.#last.set(JSON.stringify(conv), pushed);
    await this.settled(pushed);
    return this.fake.repliesTo(pushed).map((r) => readReply(r, conv.group ? conv.user : undefined));
  }

  async choose(conv: Conv, choice: string): Promise<Delivered[]> {
    const last = this.#last.get(JSON.stringify(conv));
    const offered = last ? this.fake.repliesTo(last).map((r) => readReply(r).choices) : [];
    if (!offered.some((c) => c.includes(choice))) throw new Error(`"${choice}" was not offered`);
    return this.say(conv, choice);
  }

  async redeliverLast(conv: Conv): Promise<Delivered[]> {
    const pushed = this.#last.get(JSON.stringify(conv));
    if (!pushed) throw new Error("nothing said yet");
    const before = this.fake.repliesTo(pushed).length;
    this.fake.send(pushed);
    await this.settled(pushed, 2);
    return this.fake
      .repliesTo(pushed)
      .slice(before)
      .map((r) => readReply(r));
  }

  failNextSends(...failures: Array<"5xx" | "429" | "refused">): void {
    this.fake.failReplies(...failures.map((f) => FAILURES[f]));
  }

  sendAttempts(): number[] {
    return this.fake.attempts.map((a) => a.at);
  }

  logs(): string[] {
    return this.env.deps.log.lines;
  }

  async stop(): Promise<void> {
    await this.channels.stop();
    await this.env.close();
    await this.fake.close();
    this.#admin.disconnect();
  }
}

export const dingtalkHarness: ChannelHarness = {
  name: "dingtalk",
  textLimit: TEXT_LIMIT,
  unaddressedReachesBot: false,
  start: (opts) => DingTalkUnderTest.start(opts),
};
