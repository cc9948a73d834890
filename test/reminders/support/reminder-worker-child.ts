// A reminder worker as its own process, for the fault tests and the bench: BullMQ workers on real Redis sending to
// a platform fake over HTTP (POST {chat, deadlineId, text}); it ticks once at start. Settings come from the
// environment: RW_PREFIX, RW_PLATFORM (the fake's URL), RW_AT (ISO instant the schedule is evaluated at),
// RW_OVERALL (messages/s), RW_CONCURRENCY, RW_CLAIM_MS.
import { Redis } from "ioredis";
import { listDeadlines } from "../../../src/rules/deadlines.ts";
import { loadRules } from "../../../src/rules/load-rules.ts";
import { loadKnowledgeBase } from "../../../src/knowledge/knowledge-base.ts";
import { startReminderWorkers } from "../../../src/reminders/reminder-queue.ts";
import { RedisSentLog } from "../../../src/reminders/sent-log.ts";
import { RedisSubscriptionStore } from "../../../src/reminders/subscription-store.ts";
import { fixedClock } from "../../../src/shared/clock.ts";
import { join } from "node:path";

const env = (name: string): string => {
  const v = process.env[name];
  if (v === undefined) throw new Error(`${name} is not set`);
  return v;
};
const REDIS_URL = "redis://127.0.0.1:6379";
const prefix = env("RW_PREFIX");
const platform = env("RW_PLATFORM");
const knowledge = join(import.meta.dirname, "../../../knowledge");
const kb = loadKnowledgeBase(join(knowledge, "notices"));
const book = loadRules(join(knowledge, "rules"), kb);
const deadlines = listDeadlines(book.deadlines);
const redis = new Redis(REDIS_URL);
const storePrefix = `${prefix}{zc-reminders}:`;
const overall = Number(process.env.RW_OVERALL ?? "1000");

const workers = await startReminderWorkers(
  {
    subscriptions: new RedisSubscriptionStore(redis, storePrefix),
    sent: new RedisSentLog(redis, storePrefix),
    send: async (channel, target, replies) => {
      const chat = target.kind === "direct" ? target.userId : target.groupId;
      const res = await fetch(platform, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ channel, chat, text: replies[0]?.text ?? "" }),
      });
      if (!res.ok) throw new Error(`platform said ${res.status}`);
    },
    deadlines: () => deadlines,
    clock: fixedClock(env("RW_AT")),
    claimMs: Number(process.env.RW_CLAIM_MS ?? "3000"),
  },
  {
    topology: { kind: "single", url: REDIS_URL },
    prefix,
    tickMs: 60_000,
    schedule: false,
    concurrency: Number(process.env.RW_CONCURRENCY ?? "50"),
    limits: {
      telegram: {
        overall: { max: overall, durationMs: 1_000 },
        group: { max: 20, durationMs: 60_000 },
        direct: { max: 1, durationMs: 1_000 },
      },
    },
    attempts: 20,
    backoffMs: 200,
    lockDurationMs: 2_000,
    stalledIntervalMs: 1_000,
  },
);
await workers.tick();
process.stdout.write("ready\n");
const stop = () => {
  void workers.close().then(() => {
    redis.disconnect();
    process.exit(0);
  });
};
process.on("SIGTERM", stop);
process.on("SIGINT", stop);
