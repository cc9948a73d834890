// What chatTurn answers when the store cannot take a message, and what it logs: "busy" with a retry hint and
// nothing recorded (the retry is processed), one log line per distinct cause per minute (never a user id or a
// message's text); "pending" while the first delivery of a message is still running elsewhere.
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { BUSY_RETRY_AFTER_SECONDS, chatTurn } from "../../src/app/chat-turn.ts";
import { lastPart, onceAMinute } from "../../src/app/throttled-log.ts";
import { createUserKeyer } from "../../src/app/user-key.ts";
import type { DialogState } from "../../src/dialogs/types.ts";
import { CHAT_MESSAGES } from "../../src/i18n/chat-messages.ts";
import { createRedisClient } from "../../src/sessions/create-redis-client.ts";
import { RedisSessionStore } from "../../src/sessions/redis-session-store.ts";
import { userKeys } from "../../src/sessions/session-keys.ts";
import { StoreUnavailableError } from "../../src/sessions/session-store.ts";
import { ManualClock } from "../sessions/support/manual-clock.ts";
import { deleteKeysUnder, TEST_REDIS_URL, uniquePrefix } from "../sessions/support/redis-test-prefix.ts";
import { ThrowawayRedis } from "../sessions/support/throwaway-redis.ts";
import { redisChat, systemChat } from "./support/system-chat.ts";

describe("a store outage, through chatTurn", () => {
  let server: ThrowawayRedis;
  beforeAll(async () => {
    server = await ThrowawayRedis.start();
  });
  afterAll(async () => {
    await server.stop();
  });

  it("answers busy with a retry hint, logs each cause once a minute, and processes the retries once Redis is back", async () => {
    await server.stop();
    const lines: string[] = [];
    const { services } = await systemChat({});
    const { createChat } = await import("../../src/main.ts");
    const chat = await createChat(
      { ...services, config: { ...services.config, REDIS_URL: server.url, REDIS_PREFIX: "zc-outage-chat:" } },
      (line) => lines.push(line),
    );
    try {
      const message = (i: number) => ({
        channel: "web",
        user: `13800138${i % 10}00`,
        text: `北京，第${i}条`,
        messageId: `m${i}`,
      });
      for (let i = 0; i < 300; i++) {
        await expect(chatTurn(message(i), chat)).resolves.toEqual({
          status: "busy",
          replies: [{ text: CHAT_MESSAGES.busy }],
          retryAfterSeconds: BUSY_RETRY_AFTER_SECONDS,
        });
      }
      // 300 refusals (and the client's reconnect errors) in a few lines, none naming a user or quoting a message.
      expect(lines.length).toBeGreaterThan(0);
      expect(lines.length).toBeLessThanOrEqual(3);
      expect(new Set(lines).size).toBe(lines.length);
      expect(lines.join("\n")).toMatch(/StoreUnavailableError/);
      expect(lines.join("\n")).not.toMatch(/13800138|北京|第\d+条/);

      await server.start();
      for (let attempt = 0; ; attempt++) {
        const outcome = await chatTurn(message(0), chat);
        if (outcome.status === "answered") break;
        expect(outcome.status).toBe("busy");
        expect(attempt).toBeLessThan(100);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      // Every refused message's retry is processed, once.
      for (let i = 1; i < 20; i++) expect((await chatTurn(message(i), chat)).status).toBe("answered");
      for (let i = 0; i < 20; i++) expect((await chatTurn(message(i), chat)).status).toBe("duplicate");
    } finally {
      await chat.store.close();
    }
  });
});

describe("a message still in progress elsewhere, through chatTurn", () => {
  const prefix = uniquePrefix("system-pending");
  let admin: Redis;
  beforeAll(() => {
    admin = new Redis(TEST_REDIS_URL);
  });
  afterAll(async () => {
    await deleteKeysUnder(admin, prefix);
    await admin.quit();
  });

  it("is pending after the store's wait, then answered with the first delivery's replies", async () => {
    const { chat } = await redisChat(prefix);
    const store = new RedisSessionStore<DialogState>({
      redis: createRedisClient(TEST_REDIS_URL),
      prefix,
      ownsClient: true,
      version: 1,
      migrate: () => undefined,
      ttlSeconds: 600,
      rateLimitPerMinute: 30,
      pendingWaitMs: 100,
    });
    const impatient = { ...chat, store };
    try {
      const key = await chat.userKey("web", "waiting-user");
      // Another process claimed the message and is still running its turn.
      const record = `${userKeys(prefix, key).messagePrefix}m-1`;
      await admin.set(record, "p:another-process", "PX", 60_000);
      const message = { channel: "web", user: "waiting-user", text: "北京", messageId: "m-1" };
      await expect(chatTurn(message, impatient)).resolves.toEqual({ status: "pending", replies: [] });
      // It commits (as the other process's commit script would) and the repeat gets its replies.
      const replies = [{ text: "已记录：地区 北京" }];
      await admin.set(record, `d:${JSON.stringify(replies)}`, "EX", 600);
      await expect(chatTurn(message, impatient)).resolves.toEqual({ status: "duplicate", replies });
    } finally {
      await store.close();
      await chat.store.close();
    }
  });
});

describe("the failure log", () => {
  it("writes a line once a minute, then says how many were held back", () => {
    const clock = new ManualClock();
    const lines: string[] = [];
    const log = onceAMinute(clock, (line) => lines.push(line));
    log("a");
    log("a");
    log("b");
    clock.advance(59_999);
    log("a");
    expect(lines).toEqual(["a", "b"]);
    clock.advance(1);
    log("a");
    log("b");
    expect(lines).toEqual(["a", "b", "a (+2 more in the last minute)", "b"]);
  });

  it("keyed by cause, one outage reported by several parts is one line", () => {
    const clock = new ManualClock();
    const lines: string[] = [];
    const log = onceAMinute(clock, (line) => lines.push(line), lastPart);
    log("redis: connect ECONNREFUSED 127.0.0.1:6379");
    log("redis (channels): connect ECONNREFUSED 127.0.0.1:6379");
    log("reminders queue: connect ECONNREFUSED 127.0.0.1:6379");
    log("chat turn on web: StoreUnavailableError (Redis is unavailable): Command timed out");
    expect(lines).toEqual([
      "redis: connect ECONNREFUSED 127.0.0.1:6379",
      "chat turn on web: StoreUnavailableError (Redis is unavailable): Command timed out",
    ]);
  });
});

describe("the user keyer", () => {
  it("asks the store for its secret once, and again only after a failed ask", async () => {
    let asks = 0;
    const keyer = createUserKeyer(() => {
      asks++;
      return asks === 1
        ? Promise.reject(new StoreUnavailableError("down"))
        : Promise.resolve("secret-from-store");
    });
    await expect(keyer("web", "u1")).rejects.toBeInstanceOf(StoreUnavailableError);
    const keys = await Promise.all([keyer("web", "u1"), keyer("web", "u1"), keyer("web", "u2")]);
    expect(keys[0]).toBe(keys[1]);
    expect(keys[0]).not.toBe(keys[2]);
    await keyer("tg", "u1");
    expect(asks).toBe(2);
  });
});
