// The WeChat and WeCom channels under test: started as serve starts them, their callbacks mounted on the real
// HTTP server, driven by the fake platform's signed (and sealed) posts; replies read from the passive answer and
// the fake's send APIs.
import { Redis } from "ioredis";
import type { ChatTurnFn } from "../../../src/app/group-policy.ts";
import { TEXT_LIMIT_BYTES } from "../../../src/bots/weixin/encode.ts";
import {
  startChannels,
  type ChannelConfig,
  type Channels,
  type ChannelTuning,
} from "../../../src/bots/start-channels.ts";
import { loadConfig } from "../../../src/config.ts";
import { createHttpServer, httpSettings, type HttpServer } from "../../../src/http/http-server.ts";
import { FakeWeixin, newAesKey, type SendFailure } from "../../fakes/fake-weixin.ts";
import type { ChannelHarness, ChannelUnderTest, Conv, Delivered } from "../channel-contract.ts";
import { channelEnv, type ChannelEnv } from "./channel-env.ts";
import { FAST_RETRY } from "./telegram-harness.ts";

export type Kind = "wechat" | "wecom";

const FAILURES: Record<"5xx" | "429" | "refused", SendFailure> = {
  "5xx": { status: 500 },
  // 45009: the API's frequency limit.
  "429": { errcode: 45009 },
  // 45015: outside the 48 h window (WeChat); WeCom's refusals look alike.
  refused: { errcode: 45015 },
};

const TUNING = { retry: FAST_RETRY, pendingWaitsMs: [50, 100, 200], claimIdleMs: 3_000, blockMs: 200 };

/** Tunings: WeChat answering passively (budget 1.5 s), or always through the inbox (budget 0). */
export const weixinTuning = (passiveBudgetMs = 1_500): ChannelTuning => ({
  wechat: { ...TUNING, passiveBudgetMs },
  wecom: TUNING,
});

/** The config serve reads for a fake platform. */
export function weixinConfig(fake: FakeWeixin): ChannelConfig {
  const o = fake.o;
  return o.kind === "wechat"
    ? {
        WECHAT_TOKEN: o.token,
        WECHAT_APP_ID: o.id,
        WECHAT_APP_SECRET: fake.secret,
        ...(o.aesKey ? { WECHAT_ENCODING_AES_KEY: o.aesKey } : {}),
        WECHAT_API_BASE: fake.base,
      }
    : {
        WECOM_CORP_ID: o.id,
        WECOM_AGENT_ID: o.agentId,
        WECOM_SECRET: fake.secret,
        WECOM_TOKEN: o.token,
        WECOM_ENCODING_AES_KEY: o.aesKey,
        WECOM_API_BASE: fake.base,
      };
}

export const inboxStream = (prefix: string, kind: Kind) => `${prefix}ch:{inbox:${kind}}:stream`;

/** A delivered text as the user reads it: the numbered choices taken off the end. */
export function readDelivered(content: string): Delivered {
  const lines = content.split("\n");
  const at = lines.lastIndexOf("回复序号即可选择：");
  const numbered = at >= 0 ? lines.slice(at + 1) : [];
  const isBlock = at >= 0 && numbered.every((l, i) => l.startsWith(`${i + 1}. `));
  return {
    text: isBlock ? lines.slice(0, at).join("\n") : content,
    choices: isBlock ? numbered.map((l) => l.replace(/^\d+\. /, "")) : [],
    size: Buffer.byteLength(content, "utf8"),
    addressesSender: true,
  };
}

/** Turns the harness slows down past the passive budget (so a scripted send failure meets a real send). */
interface Control {
  slowTurns: number;
  slowByMs: number;
}

export class WeixinUnderTest implements ChannelUnderTest {
  readonly #last = new Map<string, { fields: Record<string, string | number>; replies: Delivered[] }>();
  readonly #admin: Redis;

  constructor(
    readonly kind: Kind,
    readonly fake: FakeWeixin,
    readonly env: ChannelEnv,
    readonly channels: Channels,
    readonly http: HttpServer,
    readonly base: string,
    private readonly prefix: string,
    redisUrl: string,
    private readonly control: Control = { slowTurns: 0, slowByMs: 0 },
  ) {
    this.#admin = new Redis(redisUrl, { enableOfflineQueue: false, maxRetriesPerRequest: 0 });
    this.#admin.on("error", () => undefined);
  }

  static async start(
    kind: Kind,
    opts: { redisUrl: string; prefix: string; turn?: ChatTurnFn },
    extra: { tuning?: ChannelTuning; aesKey?: string | null; prepare?: (env: ChannelEnv) => void } = {},
  ): Promise<WeixinUnderTest> {
    const aesKey = extra.aesKey === null ? undefined : (extra.aesKey ?? newAesKey());
    const fake = await FakeWeixin.start(
      kind === "wechat"
        ? { kind, token: "wxtoken123", id: "wx0123456789abcdef", ...(aesKey ? { aesKey } : {}) }
        : {
            kind,
            token: "wecomtoken",
            id: "ww0123456789abcdef",
            aesKey: aesKey ?? newAesKey(),
            agentId: 1000002,
          },
    );
    const env = await channelEnv(opts);
    extra.prepare?.(env);
    const tuning = extra.tuning ?? weixinTuning();
    const budget = kind === "wechat" ? (tuning.wechat?.passiveBudgetMs ?? 0) : 0;
    const control: Control = { slowTurns: 0, slowByMs: budget + 300 };
    const turn = env.deps.turn;
    env.deps.turn = async (m) => {
      if (control.slowTurns > 0) {
        control.slowTurns--;
        await new Promise((r) => setTimeout(r, control.slowByMs));
      }
      return turn(m);
    };
    const channels = await startChannels(weixinConfig(fake), env.deps, tuning);
    const http = createHttpServer(
      { services: env.services, channels: () => channels.statuses(), webhooks: channels.webhooks },
      httpSettings(loadConfig({}), { requestLogging: false }),
    );
    const { port } = await http.listen(0, "127.0.0.1");
    const base = `http://127.0.0.1:${port}`;
    fake.callbackUrl = `${base}/${kind}`;
    return new WeixinUnderTest(kind, fake, env, channels, http, base, opts.prefix, opts.redisUrl, control);
  }

  /** Resolves once the inbox is worked off and no reply arrived for 150 ms (Redis away: once one arrived). */
  async settled(user: string, before: number, passive: boolean): Promise<void> {
    const deadline = Date.now() + 20_000;
    let count = -1;
    let stableSince = Date.now();
    for (;;) {
      const left = await this.#admin.xlen(inboxStream(this.prefix, this.kind)).catch(() => undefined);
      const now = this.fake.receivedBy(user).length;
      if (now !== count) {
        count = now;
        stableSince = Date.now();
      }
      const quiet = Date.now() - stableSince >= 150;
      if (left === 0 && quiet) return;
      if (left === undefined && quiet && (passive || now > before)) return;
      if (Date.now() > deadline) throw new Error(`not settled (${left} left in the inbox)`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  async #exchange(conv: Conv, fields: Record<string, string | number>): Promise<Delivered[]> {
    const before = this.fake.receivedBy(conv.user).length;
    const answer = await this.fake.post(fields);
    if (answer.status !== 200) throw new Error(`callback answered ${answer.status}: ${answer.raw}`);
    await this.settled(conv.user, before, answer.passive !== undefined);
    const sent = this.fake
      .receivedBy(conv.user)
      .slice(before)
      .map((m) => readDelivered(m.content));
    return [...(answer.passive !== undefined ? [readDelivered(answer.passive)] : []), ...sent];
  }

  async say(conv: Conv, text: string): Promise<Delivered[]> {
    const fields = this.fake.textMessage(conv.user, text);
    const replies = await this.#exchange(conv, fields);
    this.#last.set(conv.user, { fields, replies });
    return replies;
  }

  /** Answers with the number the choice has in the last reply's numbered lines. */
  async choose(conv: Conv, choice: string): Promise<Delivered[]> {
    const offered = this.#last.get(conv.user)?.replies.at(-1)?.choices ?? [];
    const at = offered.indexOf(choice);
    if (at < 0) throw new Error(`"${choice}" was not offered (${offered.join(", ")})`);
    return this.say(conv, String(at + 1));
  }

  async redeliverLast(conv: Conv): Promise<Delivered[]> {
    const last = this.#last.get(conv.user);
    if (!last) throw new Error("nothing said yet");
    return this.#exchange(conv, last.fields);
  }

  /**
   * The next sends fail as scripted. With passive replies (WeChat) a short answer needs no send at all: the next
   * turn is made to outlive the budget, so its answer goes out through custom/send and meets the failures.
   */
  failNextSends(...failures: Array<"5xx" | "429" | "refused">): void {
    this.fake.failSends(...failures.map((f) => FAILURES[f]));
    if (this.control.slowByMs > 300) this.control.slowTurns = 1;
  }

  sendAttempts(): number[] {
    return this.fake.attempts.map((a) => a.at);
  }

  logs(): string[] {
    return this.env.deps.log.lines;
  }

  async stop(): Promise<void> {
    await this.http.shutdown(1_000);
    await this.channels.stop();
    await this.env.close();
    await this.fake.close();
    this.#admin.disconnect();
  }
}

/** The contract's harness for WeChat answering passively within the budget (custom/send for slow turns). */
export const wechatHarness: ChannelHarness = {
  name: "wechat",
  textLimit: TEXT_LIMIT_BYTES,
  unaddressedReachesBot: false,
  groups: false,
  start: (opts) => WeixinUnderTest.start("wechat", opts),
};

/** WeChat with a budget of 0: every message recorded, answered "success", and sent through custom/send. */
export const wechatInboxHarness: ChannelHarness = {
  ...wechatHarness,
  name: "wechat-inbox",
  start: (opts) => WeixinUnderTest.start("wechat", opts, { tuning: weixinTuning(0) }),
};

export const wecomHarness: ChannelHarness = {
  name: "wecom",
  textLimit: TEXT_LIMIT_BYTES,
  unaddressedReachesBot: false,
  groups: false,
  start: (opts) => WeixinUnderTest.start("wecom", opts),
};
