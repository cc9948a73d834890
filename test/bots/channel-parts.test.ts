// The small parts every channel shares: splitting, retry with backoff, session keys, the group rules, and the
// Redis primitives (lease, delivery marks, durable inbox).
import fc from "fast-check";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { RedisDeliveryLog } from "../../src/app/delivery-log.ts";
import { RedisInbox } from "../../src/app/durable-inbox.ts";
import { decideGroupMessage, withGroupPolicy } from "../../src/app/group-policy.ts";
import { RedisLeaseLock } from "../../src/app/lease-lock.ts";
import { sessionUser } from "../../src/bots/channel-adapter.ts";
import { PlatformRefusedError, PlatformUnavailableError } from "../../src/bots/platform-error.ts";
import { withRetry } from "../../src/bots/retry.ts";
import { splitText } from "../../src/bots/split-text.ts";
import { encodeReplies, escapeHtml } from "../../src/bots/telegram/encode.ts";
import { BOT_MESSAGES } from "../../src/i18n/bot-messages.ts";
import type { InboundMessage } from "../../src/shared/chat.ts";
import { fixedClock } from "../../src/shared/clock.ts";
import { deleteKeysUnder, TEST_REDIS_URL, uniquePrefix } from "../sessions/support/redis-test-prefix.ts";

describe("splitting a long reply", () => {
  it("keeps every piece within the limit and gives the text back (property)", () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: "grapheme", maxLength: 120 }), { maxLength: 40 }),
        fc.integer({ min: 8, max: 200 }),
        (lines, limit) => {
          const text = lines.join("\n");
          const pieces = splitText(text, limit);
          for (const p of pieces) expect(p.length).toBeLessThanOrEqual(limit);
          // Pieces break at line ends, or inside a line longer than the limit: no character is lost or added.
          expect(pieces.join("").replace(/\n/g, "")).toBe(text.replace(/\n/g, ""));
        },
      ),
    );
  });

  it("never cuts a surrogate pair, and measures escaped HTML when asked", () => {
    const pieces = splitText("😀".repeat(10), 3);
    expect(pieces.every((p) => [...p].every((ch) => ch === "😀"))).toBe(true);
    const html = splitText("&&&&\n<<<<", 12, (s) => escapeHtml(s).length);
    expect(html).toEqual(["&&", "&&", "<<<", "<"]);
  });

  it("puts Telegram's keyboard on the last piece only, with short callback data", () => {
    const messages = encodeReplies([
      { text: "甲\n".repeat(3000), choices: ["民营/外资企业".repeat(5), "否"] },
    ]);
    expect(messages.length).toBeGreaterThan(1);
    expect(messages.slice(0, -1).every((m) => m.keyboard === undefined)).toBe(true);
    const buttons = messages.at(-1)?.keyboard?.flat() ?? [];
    expect(buttons.map((b) => b.callback_data)).toEqual(["c:0", "c:1"]);
  });
});

describe("retrying a platform call", () => {
  it("waits the platform's retry_after, backs off on 5xx, gives up on a refusal or after its attempts", async () => {
    const waits: number[] = [];
    const sleep = (ms: number) => {
      waits.push(ms);
      return Promise.resolve();
    };
    const policy = { attempts: 4, baseMs: 100, maxMs: 1_000, maxRetryAfterMs: 10_000 };
    const failures = [
      new PlatformUnavailableError("t", "HTTP 502"),
      new PlatformRefusedError("t", 429, "slow down", 3_000),
    ];
    let calls = 0;
    const result = await withRetry(
      () => {
        const failure = failures[calls++];
        return failure ? Promise.reject(failure) : Promise.resolve("ok");
      },
      policy,
      undefined,
      sleep,
    );
    expect(result).toBe("ok");
    expect(waits[0]).toBeGreaterThanOrEqual(50);
    expect(waits[0]).toBeLessThanOrEqual(100);
    expect(waits[1]).toBe(3_000);

    const refused = new PlatformRefusedError("t", 403, "blocked");
    await expect(withRetry(() => Promise.reject(refused), policy, undefined, sleep)).rejects.toBe(refused);
    let tries = 0;
    await expect(
      withRetry(
        () => {
          tries++;
          return Promise.reject(new PlatformUnavailableError("t", "down"));
        },
        policy,
        undefined,
        sleep,
      ),
    ).rejects.toThrow(/down/);
    expect(tries).toBe(4);
    const tooLong = new PlatformRefusedError("t", 429, "later", 60_000);
    await expect(withRetry(() => Promise.reject(tooLong), policy, undefined, sleep)).rejects.toBe(tooLong);
  });
});

describe("session keys", () => {
  it("separate a user's 1:1 chat from the same user in a group, and colleagues in one group", () => {
    const keys = [
      sessionUser({ kind: "direct", userId: "7" }),
      sessionUser({ kind: "group", groupId: "-100", userId: "7" }),
      sessionUser({ kind: "group", groupId: "-100", userId: "8" }),
      sessionUser({ kind: "group", groupId: "-100:7", userId: "8" }),
      sessionUser({ kind: "group", groupId: "-100", userId: "7:8" }),
    ];
    expect(new Set(keys).size).toBe(keys.length);
  });
});

describe("the group rules", () => {
  const today = "2024-08-15";
  const group = (text: string, addressed = true): InboundMessage => ({
    channel: "t",
    user: "g:1:2",
    text,
    conversation: { kind: "group", groupId: "1", userId: "2" },
    addressed,
  });

  it("decide by the text: silence, a pointer to a private chat, or a policy turn", () => {
    expect(decideGroupMessage(group("公示几天？", false), today)).toEqual({ kind: "silent" });
    for (const text of [
      "我能评高工吗",
      "/check",
      "/check 北京硕士",
      "详细",
      "北京，硕士，2015年7月毕业",
      "我是2018年取得的中级",
      "我们做的项目业绩条件是够的",
    ])
      expect(decideGroupMessage(group(text), today), text).toEqual({ kind: "private-only" });
    expect(decideGroupMessage(group("北京高级工程师需要什么条件？"), today)).toEqual({
      kind: "turn",
      text: "/ask 北京高级工程师需要什么条件?", // as the dialog normalises it
    });
    for (const text of [
      "/help",
      "/deadlines 浙江",
      "截止时间是什么时候",
      "/clause 破格",
      "/forget",
      "/subscribe",
      "订阅巴中工程师的截止提醒",
    ])
      expect(decideGroupMessage(group(text), today).kind, text).toBe("turn");
  });

  it("pass 1:1 messages through untouched, and run no turn for silence or the pointer", async () => {
    const seen: string[] = [];
    const turn = withGroupPolicy((m) => {
      seen.push(m.text);
      return Promise.resolve({ status: "answered", replies: [{ text: "ok" }] });
    }, fixedClock("2024-08-15T04:00:00Z"));
    expect((await turn({ channel: "t", user: "u", text: "北京，硕士" })).replies).toEqual([{ text: "ok" }]);
    expect((await turn(group("北京，硕士"))).replies).toEqual([{ text: BOT_MESSAGES.groupPointer }]);
    expect((await turn(group("公示几天？", false))).replies).toEqual([]);
    expect(seen).toEqual(["北京，硕士"]);
  });
});

describe("the channels' Redis parts", () => {
  const prefix = uniquePrefix("channel-parts");
  const redis = new Redis(TEST_REDIS_URL);
  const blocking = new Redis(TEST_REDIS_URL);

  afterAll(async () => {
    await deleteKeysUnder(redis, prefix);
    redis.disconnect();
    blocking.disconnect();
  });

  it("lease: one holder at a time, renewable by it, free once released or lapsed", async () => {
    const lock = new RedisLeaseLock(redis, prefix);
    expect(await lock.hold("poller", "a", 300)).toBe(true);
    expect(await lock.hold("poller", "b", 300)).toBe(false);
    expect(await lock.hold("poller", "a", 300)).toBe(true);
    await lock.release("poller", "b");
    expect(await lock.hold("poller", "b", 300)).toBe(false);
    await lock.release("poller", "a");
    expect(await lock.hold("poller", "b", 200)).toBe(true);
    await new Promise((r) => setTimeout(r, 300));
    expect(await lock.hold("poller", "a", 200)).toBe(true);
  });

  it("delivery marks expire", async () => {
    const log = new RedisDeliveryLog(redis, prefix, 1);
    expect(await log.wasDelivered("t:1")).toBe(false);
    await log.markDelivered("t:1");
    expect(await log.wasDelivered("t:1")).toBe(true);
    expect(await redis.ttl(`${prefix}t:1`)).toBe(1);
  });

  it("inbox: records a key once, hands an entry to one consumer, lets another take it over when left idle", async () => {
    const inbox = new RedisInbox(redis, blocking, prefix, "test");
    expect(await inbox.record("m1", "first")).toBe(true);
    expect(await inbox.record("m1", "again")).toBe(false);
    const [taken] = await inbox.take("a", 10, 100);
    expect(taken?.body).toBe("first");
    expect(await inbox.take("b", 10, 100)).toEqual([]);
    expect(await inbox.reclaim("b", 60_000, 10)).toEqual([]);
    await new Promise((r) => setTimeout(r, 120));
    const [reclaimed] = await inbox.reclaim("b", 100, 10);
    expect(reclaimed?.id).toBe(taken?.id);
    await inbox.ack(reclaimed?.id ?? "");
    expect(await redis.xlen(`${prefix}{inbox:test}:stream`)).toBe(0);
    expect(await inbox.reclaim("c", 0, 10)).toEqual([]);
  });
});
