// Delivery on real Redis and real BullMQ with short real delays: once under two concurrent workers, retries of a
// failing platform never resent once accepted, unsubscribe stops pending reminders, sends through a fake Telegram.
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { startChannels } from "../../src/bots/start-channels.ts";
import { listDeadlines } from "../../src/rules/deadlines.ts";
import { chatKey, type ChatRef } from "../../src/reminders/chat-ref.ts";
import { startMemoryReminderLoop } from "../../src/reminders/memory-reminder-loop.ts";
import type { PlatformLimits } from "../../src/reminders/reminder-limits.ts";
import { startReminderWorkers, type ReminderWorkers } from "../../src/reminders/reminder-queue.ts";
import { shanghaiInstant } from "../../src/reminders/reminder-schedule.ts";
import type { ReminderSenderDeps, SendFn } from "../../src/reminders/reminder-sender.ts";
import { MemorySentLog, RedisSentLog } from "../../src/reminders/sent-log.ts";
import { MemorySubscriptionStore, RedisSubscriptionStore } from "../../src/reminders/subscription-store.ts";
import { fixedClock } from "../../src/shared/clock.ts";
import { FakeTelegram } from "../fakes/fake-telegram.ts";
import { deleteKeysUnder, TEST_REDIS_URL, uniquePrefix } from "../sessions/support/redis-test-prefix.ts";
import { channelEnv } from "../bots/support/channel-env.ts";
import { TELEGRAM_TUNING } from "../bots/support/telegram-harness.ts";
import { ruleBook } from "../rules/load-fixtures.ts";

const admin = new Redis(TEST_REDIS_URL);
const prefixes: string[] = [];
afterAll(async () => {
  for (const p of prefixes) await deleteKeysUnder(admin, p);
  admin.disconnect();
});

// 2024-10-18 10:00 Shanghai: Bazhong's individual revision (Sunday 10-20) has its merged 1-day/day-of reminder
// due, the employer submission (10-23) its 3-day one, the paper materials (10-23) theirs.
const CLOCK = fixedClock(shanghaiInstant("2024-10-18", 10));
const deadlines = () => listDeadlines(ruleBook().deadlines);
const FAST: Record<string, PlatformLimits> = {
  telegram: {
    overall: { max: 1_000, durationMs: 1_000 },
    group: { max: 20, durationMs: 60_000 },
    direct: { max: 100, durationMs: 1_000 },
  },
};

function redisDeps(prefix: string, send: SendFn): ReminderSenderDeps {
  const redis = new Redis(TEST_REDIS_URL);
  cleanup.push(() => redis.disconnect());
  return {
    subscriptions: new RedisSubscriptionStore(redis, `${prefix}{zc-reminders}:`),
    sent: new RedisSentLog(redis, `${prefix}{zc-reminders}:`),
    send,
    deadlines,
    clock: CLOCK,
    claimMs: 10_000,
  };
}
const cleanup: Array<() => void> = [];
afterAll(() => cleanup.forEach((c) => c()));

function workers(
  prefix: string,
  deps: ReminderSenderDeps,
  over: { limits?: Record<string, PlatformLimits>; attempts?: number } = {},
) {
  return startReminderWorkers(deps, {
    topology: { kind: "single", url: TEST_REDIS_URL },
    prefix,
    tickMs: 60_000,
    schedule: false,
    limits: over.limits ?? FAST,
    attempts: over.attempts ?? 5,
    backoffMs: 50,
  });
}

async function until(check: () => boolean | Promise<boolean>, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const chat = (i: number): ChatRef => ({ channel: "telegram", kind: "direct", id: String(1000 + i) });

describe("reminder delivery on BullMQ", () => {
  it("sends each (chat, deadline) once with two workers ticking at the same time, and records it", async () => {
    const prefix = uniquePrefix("rem-once");
    prefixes.push(prefix);
    const accepted: string[] = [];
    const send: SendFn = async (_ch, target, replies) => {
      await new Promise((r) => setTimeout(r, Math.random() * 5));
      accepted.push(
        `${target.kind === "direct" ? target.userId : target.groupId}|${replies[0]?.text.split("\n")[1]}`,
      );
    };
    const deps = redisDeps(prefix, send);
    for (let i = 0; i < 100; i++) await deps.subscriptions.add({ chat: chat(i), region: "sichuan-bazhong" });
    const expected = (
      await import("../../src/reminders/reminder-sender.ts").then((m) => m.planReminders(deps))
    ).length;
    expect(expected).toBe(300);
    const a = await workers(prefix, deps);
    const b = await workers(prefix, redisDeps(prefix, send));
    try {
      await Promise.all([a.tick(), b.tick(), a.tick()]);
      await until(() => accepted.length >= expected, 20_000, "all sends");
      await new Promise((r) => setTimeout(r, 300));
      expect(accepted).toHaveLength(expected);
      expect(new Set(accepted).size).toBe(expected);
      // Planned again: nothing is due any more, and a new tick sends nothing.
      expect(await a.tick()).toBe(0);
      expect((await deps.sent.all()).length).toBe(100 * 4); // the merged message records both offsets
    } finally {
      await a.close();
      await b.close();
    }
  });

  it("retries a failing platform with backoff and never resends once it accepted", async () => {
    const prefix = uniquePrefix("rem-retry");
    prefixes.push(prefix);
    let calls = 0;
    const accepted: string[] = [];
    const send: SendFn = (_ch, target) => {
      calls += 1;
      if (calls <= 2) return Promise.reject(new Error("502 Bad Gateway"));
      accepted.push(target.kind === "direct" ? target.userId : target.groupId);
      return Promise.resolve();
    };
    const deps = redisDeps(prefix, send);
    await deps.subscriptions.add({ chat: chat(1), region: "sichuan-bazhong", level: "engineer" });
    const w = await workers(prefix, deps, { limits: FAST });
    try {
      await w.tick();
      await until(() => accepted.length >= 3, 10_000, "sends after retries");
      expect(calls).toBeGreaterThanOrEqual(5);
      await w.tick();
      await new Promise((r) => setTimeout(r, 400));
      expect(accepted).toEqual(["1001", "1001", "1001"]);
    } finally {
      await w.close();
    }
  });

  it("stops pending reminders of a chat that unsubscribed", async () => {
    const prefix = uniquePrefix("rem-unsub");
    prefixes.push(prefix);
    const accepted: string[] = [];
    const send: SendFn = (_ch, target) => {
      accepted.push(target.kind === "direct" ? target.userId : target.groupId);
      return Promise.resolve();
    };
    const deps = redisDeps(prefix, send);
    for (let i = 0; i < 4; i++)
      await deps.subscriptions.add({ chat: chat(i), region: "sichuan-bazhong", level: "engineer" });
    // One send a second overall: three of the twelve jobs wait long enough to see the unsubscribe.
    const slow = { telegram: { ...FAST.telegram!, overall: { max: 1, durationMs: 1_000 } } };
    const w: ReminderWorkers = await workers(prefix, deps, { limits: slow });
    try {
      expect(await w.tick()).toBe(12);
      await until(() => accepted.length >= 1, 5_000, "the first send");
      for (let i = 0; i < 4; i++) await deps.subscriptions.remove(chat(i));
      await new Promise((r) => setTimeout(r, 2_500));
      expect(accepted.length).toBeLessThanOrEqual(2);
    } finally {
      await w.close();
    }
  });

  it("sends through the Telegram channel: the message in the chat, the clause, and unsubscribe", async () => {
    const prefix = uniquePrefix("rem-tg");
    prefixes.push(prefix);
    const telegram = await FakeTelegram.start();
    const env = await channelEnv({ redisUrl: TEST_REDIS_URL, prefix });
    const channels = await startChannels(
      { TELEGRAM_BOT_TOKEN: telegram.token, TELEGRAM_API_ROOT: telegram.apiRoot },
      env.deps,
      TELEGRAM_TUNING,
    );
    const deps = redisDeps(prefix, (ch, target, replies) => channels.send(ch, target, replies));
    const group: ChatRef = { channel: "telegram", kind: "group", id: "-1001" };
    await deps.subscriptions.add({ chat: group, region: "sichuan-bazhong", level: "engineer" });
    const w = await workers(prefix, deps);
    try {
      await w.tick();
      await until(() => telegram.sent.length >= 3, 10_000, "telegram sends");
      const texts = telegram.sent.map((m) => m.text);
      expect(telegram.sent.every((m) => m.chat.id === -1001)).toBe(true);
      expect(texts.join("\n")).toContain("个人修改提交截止");
      expect(texts.join("\n")).toContain("2024年10月20日18:00");
      expect(texts.join("\n")).toContain("/unsubscribe 四川巴中 工程师");
      expect(
        await deps.sent.forDeadline(chatKey(group), "bazhong-digital-2024/individual-revision"),
      ).toHaveLength(2);
    } finally {
      await w.close();
      await channels.stop();
      await env.close();
      await telegram.close();
    }
  });
});

describe("reminders without Redis", () => {
  it("run in memory on a timer over the same planning and sender", async () => {
    const accepted: string[] = [];
    const deps: ReminderSenderDeps = {
      subscriptions: new MemorySubscriptionStore(),
      sent: new MemorySentLog(CLOCK),
      send: (_ch, target) => {
        accepted.push(target.kind === "direct" ? target.userId : target.groupId);
        return Promise.resolve();
      },
      deadlines,
      clock: CLOCK,
      claimMs: 10_000,
    };
    await deps.subscriptions.add({ chat: chat(7), region: "sichuan-bazhong" });
    const loop = startMemoryReminderLoop(deps, 30);
    try {
      await until(() => accepted.length >= 3, 3_000, "memory sends");
      await new Promise((r) => setTimeout(r, 150));
      expect(accepted).toEqual(["1007", "1007", "1007"]);
    } finally {
      await loop.close();
    }
  });
});
