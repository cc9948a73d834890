// The Telegram channel under test: telegraf's client against the fake Bot API, started as main.ts would start it.
import type { ChatTurnFn } from "../../../src/app/group-policy.ts";
import type { RetryPolicy } from "../../../src/bots/retry.ts";
import {
  startChannels,
  type ChannelConfig,
  type Channels,
  type ChannelTuning,
} from "../../../src/bots/start-channels.ts";
import {
  FakeTelegram,
  type Failure,
  type FakeChat,
  type FakeUser,
  type SentMessage,
} from "../../fakes/fake-telegram.ts";
import type { ChannelHarness, ChannelUnderTest, Conv, Delivered } from "../channel-contract.ts";
import { channelEnv, type ChannelEnv } from "./channel-env.ts";

export const FAST_RETRY: RetryPolicy = { attempts: 6, baseMs: 100, maxMs: 1_000, maxRetryAfterMs: 5_000 };

export const TELEGRAM_TUNING: ChannelTuning = {
  telegram: { leaseMs: 2_000, pollTimeoutSeconds: 1, retry: FAST_RETRY, pendingWaitsMs: [50, 100, 200] },
};

type Update = ReturnType<FakeTelegram["says"]>;

const FAILURES: Record<"5xx" | "429" | "refused", Failure> = {
  "5xx": { status: 500 },
  "429": { status: 429, retryAfter: 1 },
  refused: { status: 403, description: "Forbidden: bot was blocked by the user" },
};

/** One Telegram channel on a fake Bot API, with named users and groups. */
export class TelegramUnderTest implements ChannelUnderTest {
  readonly #users = new Map<string, FakeUser>();
  readonly #groups = new Map<string, number>();
  readonly #last = new Map<string, Update>();

  constructor(
    readonly fake: FakeTelegram,
    readonly env: ChannelEnv,
    readonly channels: Channels,
    private readonly ownsFake = true,
  ) {}

  /** Starts a channel (polling unless `config` says otherwise) on `fake`, or on a fake of its own. */
  static async start(
    opts: { redisUrl: string; prefix: string; turn?: ChatTurnFn },
    extra: {
      fake?: FakeTelegram;
      config?: Partial<ChannelConfig>;
      tuning?: ChannelTuning;
      /** Changes the deps before the channel starts (e.g. wraps the turn or the lock). */
      prepare?: (env: ChannelEnv) => void;
    } = {},
  ): Promise<TelegramUnderTest> {
    const fake = extra.fake ?? (await FakeTelegram.start());
    const env = await channelEnv(opts);
    extra.prepare?.(env);
    const channels = await startChannels(
      { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot, ...extra.config },
      env.deps,
      extra.tuning ?? TELEGRAM_TUNING,
    );
    return new TelegramUnderTest(fake, env, channels, !extra.fake);
  }

  user(name: string): FakeUser {
    let u = this.#users.get(name);
    if (!u) {
      u = {
        id: 1_000 + [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 1_000_000, 7),
        first_name: name,
      };
      this.#users.set(name, u);
    }
    return u;
  }

  chat(conv: Conv): FakeChat {
    if (!conv.group) return { id: this.user(conv.user).id, type: "private" };
    let id = this.#groups.get(conv.group);
    if (id === undefined) {
      id = -1_000_000_000_000 - this.#groups.size;
      this.#groups.set(conv.group, id);
    }
    return { id, type: "supergroup" };
  }

  /** The messages sent to `chat` after the first `before` messages, as the user sees them. */
  deliveredSince(before: number, chatId: number, answered?: number): Delivered[] {
    return this.fake.sent
      .slice(before)
      .filter((m) => m.chat.id === chatId)
      .map((m) => this.#delivered(m, answered));
  }

  #delivered(m: SentMessage, answered?: number): Delivered {
    return {
      text: m.text,
      choices: m.reply_markup?.inline_keyboard.flat().map((b) => b.text) ?? [],
      size: m.text.length,
      addressesSender: answered !== undefined && m.reply_to === answered,
    };
  }

  async say(conv: Conv, text: string, opts: { addressed?: boolean } = {}): Promise<Delivered[]> {
    const chat = this.chat(conv);
    const before = this.fake.sent.length;
    const mention = Boolean(conv.group) && (opts.addressed ?? true) && !text.startsWith("/");
    const u = this.fake.says(chat, this.user(conv.user), text, { mention });
    this.#last.set(JSON.stringify(conv), u);
    await this.fake.handled(u);
    return this.deliveredSince(before, chat.id, (u.message as { message_id: number }).message_id);
  }

  async choose(conv: Conv, choice: string): Promise<Delivered[]> {
    const chat = this.chat(conv);
    const offered = this.fake
      .sentTo(chat.id)
      .reverse()
      .find((m) => m.reply_markup?.inline_keyboard.flat().some((b) => b.text === choice));
    if (!offered) throw new Error(`no button "${choice}" in chat ${chat.id}`);
    const before = this.fake.sent.length;
    const u = this.fake.presses(this.user(conv.user), offered, choice);
    this.#last.set(JSON.stringify(conv), u);
    await this.fake.handled(u);
    return this.deliveredSince(before, chat.id);
  }

  async redeliverLast(conv: Conv): Promise<Delivered[]> {
    const u = this.#last.get(JSON.stringify(conv));
    if (!u) throw new Error("nothing said yet");
    const before = this.fake.sent.length;
    await this.fake.redeliver(u);
    return this.deliveredSince(before, this.chat(conv).id);
  }

  failNextSends(...failures: Array<"5xx" | "429" | "refused">): void {
    this.fake.failNext("sendMessage", ...failures.map((f) => FAILURES[f]));
  }

  sendAttempts(): number[] {
    return this.fake.callsOf("sendMessage").map((c) => c.at);
  }

  logs(): string[] {
    return this.env.deps.log.lines;
  }

  async stop(): Promise<void> {
    await this.channels.stop();
    await this.env.close();
    if (this.ownsFake) await this.fake.close();
  }
}

export const telegramHarness: ChannelHarness = {
  name: "telegram",
  textLimit: 4096,
  unaddressedReachesBot: true,
  start: (opts) => TelegramUnderTest.start(opts),
};
