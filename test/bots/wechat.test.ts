// The WeChat Official Account channel: the contract every channel passes (answering passively, and answering
// every message through the inbox and the customer-service API), then what only WeChat has: the URL check, passive replies within the 5 s budget,
// plaintext and safe mode, "success" and custom/send for a slow turn, the access token, and fuzzed callbacks.
import fc from "fast-check";
import { Redis } from "ioredis";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { DurableInbox } from "../../src/app/durable-inbox.ts";
import { PlatformRefusedError } from "../../src/bots/platform-error.ts";
import { BOT_MESSAGES } from "../../src/i18n/bot-messages.ts";
import type { ChatOutcome, InboundMessage } from "../../src/shared/chat.ts";
import { encryptBlocks, seal, sign, xmlOf } from "../fakes/fake-weixin.ts";
import { deleteKeysUnder, TEST_REDIS_URL, uniquePrefix } from "../sessions/support/redis-test-prefix.ts";
import { channelContract } from "./channel-contract.ts";
import {
  wechatHarness,
  wechatInboxHarness,
  weixinTuning,
  WeixinUnderTest,
} from "./support/weixin-harness.ts";

channelContract(wechatHarness);
channelContract(wechatInboxHarness);

const prefixes: string[] = [];
const fresh = (label: string) => {
  const p = uniquePrefix(`wechat-${label}`);
  prefixes.push(p);
  return p;
};

afterAll(async () => {
  const admin = new Redis(TEST_REDIS_URL);
  for (const p of prefixes) await deleteKeysUnder(admin, p);
  admin.disconnect();
});

/** Counts the turns the channel runs (a forged callback must run none). */
function counting(
  env: { deps: { turn: (m: InboundMessage) => Promise<ChatOutcome> } },
  seen: InboundMessage[],
) {
  const turn = env.deps.turn;
  env.deps.turn = (m) => {
    seen.push(m);
    return turn(m);
  };
}

describe("wechat: passive replies, plaintext mode", () => {
  let ch: WeixinUnderTest | undefined;
  afterEach(async () => {
    await ch?.stop();
    ch = undefined;
  });

  it("answers the URL check with echostr, and a forged one with 403", async () => {
    ch = await WeixinUnderTest.start(
      "wechat",
      { redisUrl: TEST_REDIS_URL, prefix: fresh("get") },
      { aesKey: null },
    );
    const good = await ch.fake.urlCheck();
    expect(good).toMatchObject({ status: 200, body: good.echo });
    const forged = await ch.fake.urlCheck({ signature: true });
    expect(forged.status).toBe(403);
    expect(forged.body).not.toContain(forged.echo);
  });

  it("replies passively with the names swapped, answers a redelivery with nothing, refuses forgeries", async () => {
    const seen: InboundMessage[] = [];
    ch = await WeixinUnderTest.start(
      "wechat",
      { redisUrl: TEST_REDIS_URL, prefix: fresh("plain") },
      { aesKey: null, prepare: (env) => counting(env, seen) },
    );
    const fields = ch.fake.textMessage("openid-plain", "公示几天？");
    const answer = await ch.fake.post(fields);
    expect(answer.passive).toMatch(/公示/);
    expect(answer.replyFields).toMatchObject({
      ToUserName: "openid-plain",
      FromUserName: "gh_fake_account",
      MsgType: "text",
    });
    expect(seen.map((m) => m.messageId)).toEqual([String(fields.MsgId)]);
    // WeChat sends it again (it did not see our answer): nothing twice.
    const again = await ch.fake.post(fields);
    expect(again).toMatchObject({ status: 200, raw: "success" });
    expect(ch.fake.received).toEqual([]);

    const turns = seen.length;
    expect(
      (await ch.fake.post(ch.fake.textMessage("openid-plain", "/help"), { signature: true })).status,
    ).toBe(403);
    const stale = Math.floor(Date.now() / 1000) - 3_600;
    expect(
      (await ch.fake.post(ch.fake.textMessage("openid-plain", "/help"), { timestamp: stale })).status,
    ).toBe(403);
    // Encrypted without safe mode configured: not processed.
    expect(
      (await ch.fake.postRaw({ timestamp: "1", nonce: "1", encrypt_type: "aes" }, "<xml/>")).status,
    ).toBe(400);
    expect(seen.length).toBe(turns);
    expect(ch.fake.received).toEqual([]);
    expect(ch.logs().join("\n")).toMatch(/callback refused: signature does not match/);
  });

  it("reads a number as the choice it stands for, and answers pictures and a follow with a hint", async () => {
    const seen: InboundMessage[] = [];
    ch = await WeixinUnderTest.start(
      "wechat",
      { redisUrl: TEST_REDIS_URL, prefix: fresh("choices") },
      { aesKey: null, prepare: (env) => counting(env, seen) },
    );
    const first = await ch.say({ user: "chooser" }, "能评职称吗");
    const offered = first.at(-1)?.choices ?? [];
    expect(offered.length).toBeGreaterThan(1);
    await ch.say({ user: "chooser" }, "2");
    expect(seen.at(-1)?.text).toBe(offered[1]);
    // A number beyond the choices stays a number.
    await ch.say({ user: "chooser" }, "99");
    expect(seen.at(-1)?.text).toBe("99");

    const before = seen.length;
    const image = await ch.fake.post({
      ToUserName: "gh_fake_account",
      FromUserName: "chooser",
      CreateTime: 1,
      MsgType: "image",
      PicUrl: "http://x/y.jpg",
      MsgId: ch.fake.nextMsgId(),
    });
    expect(image.passive).toBe(BOT_MESSAGES.textOnly);
    const follow = await ch.fake.post({
      ToUserName: "gh_fake_account",
      FromUserName: "newcomer",
      CreateTime: 2,
      MsgType: "event",
      Event: "subscribe",
    });
    expect(follow.passive).toBe(BOT_MESSAGES.welcome);
    const unfollow = await ch.fake.post({
      ToUserName: "gh_fake_account",
      FromUserName: "newcomer",
      CreateTime: 3,
      MsgType: "event",
      Event: "unsubscribe",
    });
    expect(unfollow.raw).toBe("success");
    expect(seen.length).toBe(before);
  });

  it("sends the first piece of a long answer passively and the rest through custom/send, each ≤ 2048 bytes", async () => {
    const lines = Array.from({ length: 200 }, (_, i) => `第${i + 1}行：${"条款内容".repeat(5)}`);
    ch = await WeixinUnderTest.start(
      "wechat",
      {
        redisUrl: TEST_REDIS_URL,
        prefix: fresh("long"),
        turn: () =>
          Promise.resolve({
            status: "answered",
            replies: [{ text: lines.join("\n"), choices: ["是", "否"] }],
          }),
      },
      { aesKey: null },
    );
    const pieces = await ch.say({ user: "reader" }, "详细");
    expect(pieces.length).toBeGreaterThan(2);
    for (const p of pieces) expect(p.size).toBeLessThanOrEqual(2048);
    expect(pieces.flatMap((p) => p.text.split("\n"))).toEqual(lines);
    expect(pieces.at(-1)?.choices).toEqual(["是", "否"]);
    expect(ch.fake.receivedBy("reader").length).toBe(pieces.length - 1);
  });
});

describe("wechat: safe mode", () => {
  let ch: WeixinUnderTest | undefined;
  afterEach(async () => {
    await ch?.stop();
    ch = undefined;
  });

  it("opens a sealed message and seals its passive reply; another app's envelope or a forged signature is refused", async () => {
    const seen: InboundMessage[] = [];
    ch = await WeixinUnderTest.start(
      "wechat",
      { redisUrl: TEST_REDIS_URL, prefix: fresh("aes") },
      { prepare: (env) => counting(env, seen) },
    );
    const answer = await ch.fake.post(ch.fake.textMessage("openid-aes", "公示几天？"));
    // The fake checked MsgSignature and opened the envelope with the app id.
    expect(answer.raw).toContain("<Encrypt>");
    expect(answer.raw).not.toContain("公示");
    expect(answer.passive).toMatch(/公示/);
    expect(seen).toHaveLength(1);

    const other = await ch.fake.post(ch.fake.textMessage("openid-aes", "/help"), { id: "wx_another_app" });
    expect(other.status).toBe(403);
    const forged = await ch.fake.post(ch.fake.textMessage("openid-aes", "/help"), { signature: true });
    expect(forged.status).toBe(403);
    // Compatible mode: a plaintext post with a good signature is answered too.
    expect(
      (await ch.fake.post(ch.fake.textMessage("openid-aes", "/help"), { encrypted: false })).status,
    ).toBe(200);
    expect(seen).toHaveLength(2);
    expect(ch.fake.received).toEqual([]);
  });

  it("answers 'success' when a turn outlives the budget, then delivers through custom/send, once", async () => {
    const prefix = fresh("slow");
    ch = await WeixinUnderTest.start(
      "wechat",
      { redisUrl: TEST_REDIS_URL, prefix },
      {
        tuning: weixinTuning(300),
        prepare: (env) => {
          const turn = env.deps.turn;
          env.deps.turn = async (m) => {
            await new Promise((r) => setTimeout(r, 800));
            return turn(m);
          };
        },
      },
    );
    const fields = ch.fake.textMessage("openid-slow", "公示几天？");
    const started = Date.now();
    const answer = await ch.fake.post(fields);
    expect(Date.now() - started).toBeLessThan(800);
    expect(answer.raw).toBe("success");
    await ch.settled("openid-slow", 0, false);
    const sent = ch.fake.receivedBy("openid-slow");
    expect(sent.map((m) => m.content)).toEqual([expect.stringMatching(/公示/)]);
    // WeChat's own retry of the message (it resends when it gets no answer): nothing more.
    expect((await ch.fake.post(fields)).raw).toBe("success");
    await ch.settled("openid-slow", 1, false);
    expect(ch.fake.receivedBy("openid-slow")).toHaveLength(1);
  });

  it("records the message before answering 'success': another process answers it when this one dies", async () => {
    const prefix = fresh("killed");
    let release: (o: ChatOutcome) => void = () => undefined;
    const dead = await WeixinUnderTest.start(
      "wechat",
      {
        redisUrl: TEST_REDIS_URL,
        prefix,
        // The turn never finishes in this process; its worker never takes anything (it died after the ack).
        turn: () => new Promise<ChatOutcome>((resolve) => (release = resolve)),
      },
      {
        tuning: weixinTuning(200),
        prepare: (env) => {
          const inbox = env.deps.inbox;
          env.deps.inbox = (name): DurableInbox => {
            const real = inbox(name);
            return {
              record: (k, b) => real.record(k, b),
              take: async (_c, _n, blockMs) => {
                await new Promise((r) => setTimeout(r, blockMs));
                return [];
              },
              reclaim: () => Promise.resolve([]),
              ack: (id) => real.ack(id),
              close: () => real.close(),
            };
          };
        },
      },
    );
    const answer = await dead.fake.post(dead.fake.textMessage("openid-killed", "公示几天？"));
    expect(answer.raw).toBe("success");
    const admin = new Redis(TEST_REDIS_URL);
    expect(await admin.xlen(`${prefix}ch:{inbox:wechat}:stream`)).toBe(1);
    admin.disconnect();
    release({ status: "pending", replies: [] });
    await dead.stop();

    // Another process with the same Redis and platform: its worker takes the entry and answers.
    ch = await WeixinUnderTest.start(
      "wechat",
      { redisUrl: TEST_REDIS_URL, prefix },
      { tuning: weixinTuning(200) },
    );
    // (The entry names the user, not the app: the replacement sends through its own platform fake.)
    await ch.settled("openid-killed", 0, false);
    expect(ch.fake.receivedBy("openid-killed").map((m) => m.content)).toEqual([
      expect.stringMatching(/公示/),
    ]);
  });
});

describe("wechat: the access token and the customer-service API", () => {
  let ch: WeixinUnderTest | undefined;
  afterEach(async () => {
    await ch?.stop();
    ch = undefined;
  });

  it("fetches the token once, keeps it, and fetches a new one when WeChat says it is invalid (40001)", async () => {
    ch = await WeixinUnderTest.start(
      "wechat",
      { redisUrl: TEST_REDIS_URL, prefix: fresh("token") },
      { tuning: weixinTuning(0) },
    );
    expect(ch.fake.tokenRequests).toEqual([
      {
        path: "/cgi-bin/token",
        query: { grant_type: "client_credential", appid: ch.fake.o.id, secret: ch.fake.secret },
      },
    ]);
    for (const u of ["t1", "t2", "t3"]) expect((await ch.say({ user: u }, "/help")).length).toBe(1);
    expect(ch.fake.tokenRequests).toHaveLength(1);
    ch.fake.revokeTokens();
    expect((await ch.say({ user: "t4" }, "/help"))[0]?.text).toContain("可用命令");
    expect(ch.fake.tokenRequests).toHaveLength(2);
  });

  it("sends proactive messages; outside the 48 h window (45015) the send is refused and reported", async () => {
    ch = await WeixinUnderTest.start("wechat", { redisUrl: TEST_REDIS_URL, prefix: fresh("proactive") });
    await ch.channels.send("wechat", { kind: "direct", userId: "openid-r" }, [{ text: "提醒：申报截止" }]);
    expect(ch.fake.receivedBy("openid-r").map((m) => [m.msgtype, m.content])).toEqual([
      ["text", "提醒：申报截止"],
    ]);
    ch.fake.failSends({ errcode: 45015, errmsg: "response out of time limit or subscription is canceled" });
    const refused = ch.channels.send("wechat", { kind: "direct", userId: "openid-r" }, [{ text: "再提醒" }]);
    await expect(refused).rejects.toBeInstanceOf(PlatformRefusedError);
    await expect(
      ch.channels.send("wechat", { kind: "group", groupId: "g" }, [{ text: "x" }]),
    ).rejects.toBeInstanceOf(PlatformRefusedError);
    // A busy platform (-1) is tried again.
    ch.fake.failSends({ errcode: -1 });
    await ch.channels.send("wechat", { kind: "direct", userId: "openid-r" }, [{ text: "第三次" }]);
    expect(ch.fake.receivedBy("openid-r").map((m) => m.content)).toEqual(["提醒：申报截止", "第三次"]);
  });
});

describe("wechat: fuzzed callbacks never crash the server or leak a 5xx", () => {
  let ch: WeixinUnderTest | undefined;
  const seen: InboundMessage[] = [];
  afterEach(async () => {
    await ch?.stop();
    ch = undefined;
  });

  const signedQuery = (token: string, extra: Record<string, string> = {}) => {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = "4242";
    return { timestamp, nonce, signature: sign(token, timestamp, nonce), ...extra };
  };

  it("answers garbage, truncated base64, wrong padding, other apps and huge bodies with a 4xx or 'success'", async () => {
    ch = await WeixinUnderTest.start(
      "wechat",
      { redisUrl: TEST_REDIS_URL, prefix: fresh("fuzz") },
      { prepare: (env) => counting(env, seen) },
    );
    const { token, aesKey = "", id } = ch.fake.o;
    const c = ch;
    const statuses = new Set<number>();
    // Plaintext bodies of any shape under a good signature.
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.string({ maxLength: 400 }),
          fc.constantFrom(
            "<xml>",
            "<xml><MsgType>text</MsgType>",
            "<?xml?><!DOCTYPE x [<!ENTITY a 'b'>]><xml/>",
          ),
          fc
            .dictionary(fc.stringMatching(/^[A-Za-z]{1,8}$/), fc.string({ maxLength: 40 }), { maxKeys: 6 })
            .map((d) => xmlOf(d)),
        ),
        async (body) => {
          const res = await c.fake.postRaw(signedQuery(token), body);
          statuses.add(res.status);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 150, seed: 20241129 },
    );
    // Sealed bodies: arbitrary "ciphertext", truncated and re-padded base64, bad PKCS#7, another app's id.
    const good = seal(aesKey, xmlOf(ch.fake.textMessage("fuzzer", "/help")), id);
    const badPadding = (pad: number) => {
      const xml = Buffer.from(xmlOf(ch?.fake.textMessage("fuzzer", "/help") ?? {}));
      const len = Buffer.alloc(4);
      len.writeUInt32BE(xml.length);
      const plain = Buffer.concat([Buffer.alloc(16, 7), len, xml, Buffer.from(id)]);
      const fill = 32 - (plain.length % 32);
      return encryptBlocks(aesKey, Buffer.concat([plain, Buffer.alloc(fill, pad)]));
    };
    const bigLength = () => {
      const len = Buffer.alloc(4);
      len.writeUInt32BE(0xfffffff0);
      return encryptBlocks(aesKey, Buffer.concat([Buffer.alloc(16, 1), len, Buffer.alloc(12, 65)]));
    };
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(
          fc.base64String({ maxLength: 300 }),
          fc.string({ maxLength: 200 }),
          fc.integer({ min: 1, max: good.length - 1 }).map((n) => good.slice(0, n)),
          fc.integer({ min: 1, max: good.length - 1 }).map((n) => `${good.slice(0, n)}==`),
          fc.constantFrom(badPadding(0), badPadding(33), badPadding(200), bigLength()),
          fc.constant(seal(aesKey, xmlOf(ch.fake.textMessage("fuzzer", "/help")), "wx_other")),
          fc.constant(seal(aesKey, "not xml at all", id)),
        ),
        async (sealed) => {
          const timestamp = String(Math.floor(Date.now() / 1000));
          const query = {
            timestamp,
            nonce: "99",
            encrypt_type: "aes",
            msg_signature: sign(token, timestamp, "99", sealed),
          };
          const res = await c.fake.postRaw(query, xmlOf({ ToUserName: "gh", Encrypt: sealed }));
          statuses.add(res.status);
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.status).toBeLessThan(500);
        },
      ),
      { numRuns: 150, seed: 7 },
    );
    expect(seen).toEqual([]);
    // Over 64 KB of XML, and past the server's 1 MB body limit.
    expect((await c.fake.postRaw(signedQuery(token), `<xml>${"a".repeat(100_000)}</xml>`)).status).toBe(400);
    expect((await c.fake.postRaw(signedQuery(token), "x".repeat(2 * 1024 * 1024))).status).toBe(413);
    expect([...statuses].every((s) => s < 500)).toBe(true);
    // Still answering.
    expect((await c.fake.post(c.fake.textMessage("after-fuzz", "/help"))).passive).toContain("可用命令");
  });
});
