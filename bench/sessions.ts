// Session store throughput: withSession turns/s and latency on Redis at 1,000 conversations, beside redis-benchmark.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { setTimeout as sleep } from "node:timers/promises";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import { loadConfig } from "../src/config.ts";
import { createRedisClient } from "../src/sessions/create-redis-client.ts";
import { RedisSessionStore } from "../src/sessions/redis-session-store.ts";
import { latencySummary } from "./latency.ts";

const CONVERSATIONS = 1_000;
const WARM_UP_TURNS = 5;
const TURNS_PER_CONVERSATION = 50;
// The goal's load offered open-loop: each conversation sends a turn every 100 ms, 10,000 turns/s in all.
const OFFERED_TURNS_PER_SECOND = 10_000;
const OFFERED_DURATION_MS = 5_000;
// The key redis-benchmark's SET/GET tests write; removed afterwards unless it was there before.
const REDIS_BENCHMARK_KEY = "key:__rand_int__";

interface Conversation {
  turns: number;
}

/** Runs the measurement and returns the figures with the goals beside them. */
export async function benchSessions(): Promise<Record<string, unknown>> {
  const url = loadConfig().REDIS_URL ?? "redis://127.0.0.1:6379";
  const prefix = `zc-bench:${randomUUID().slice(0, 8)}:`;
  const store = new RedisSessionStore<Conversation>({
    redis: createRedisClient(url),
    prefix,
    ownsClient: true,
    version: 1,
    migrate: () => undefined,
    ttlSeconds: 600,
    rateLimitPerMinute: 30,
  });
  const users = Array.from({ length: CONVERSATIONS }, (_, i) => `bench-${i}`);
  try {
    await store.ping();
    await runConversations(store, users, WARM_UP_TURNS, []);

    // Saturation: every conversation sends its next turn as soon as the last is answered (closed loop).
    // Latency here is queueing by construction (Little's law: 1,000 in flight / throughput).
    const closedLatencies: number[] = [];
    const started = performance.now();
    await runConversations(store, users, TURNS_PER_CONVERSATION, closedLatencies);
    const turnsPerSecond = Math.round(closedLatencies.length / ((performance.now() - started) / 1000));

    // The goal's load: 10,000 turns/s offered at a steady rate over the same 1,000 conversations (open loop);
    // latency counts from when a turn was due, so a stall is not hidden by sending later.
    const openLatencies: number[] = [];
    const openStarted = performance.now();
    await offerLoad(store, users, openLatencies);
    const achieved = Math.round(openLatencies.length / ((performance.now() - openStarted) / 1000));
    const atGoal = latencySummary(openLatencies);
    return {
      store: "redis",
      conversations: CONVERSATIONS,
      saturation: {
        turns: closedLatencies.length,
        turnsPerSecond,
        latencyMs: latencySummary(closedLatencies),
      },
      atOfferedLoad: {
        offeredTurnsPerSecond: OFFERED_TURNS_PER_SECOND,
        achievedTurnsPerSecond: achieved,
        turns: openLatencies.length,
        latencyMs: atGoal,
      },
      goal: {
        turnsPerSecond: 10_000,
        p99Ms: 20,
        met: turnsPerSecond >= OFFERED_TURNS_PER_SECOND && atGoal.p99 <= 20,
      },
      redisBenchmark: await redisBenchmark(url),
    };
  } finally {
    await Promise.all(users.map((userId) => store.forget(userId)));
    await store.close();
  }
}

/** Every conversation takes `turns` turns one after another; all conversations run at once. */
async function runConversations(
  store: RedisSessionStore<Conversation>,
  users: string[],
  turns: number,
  latenciesMs: number[],
): Promise<void> {
  await Promise.all(
    users.map(async (userId) => {
      for (let t = 0; t < turns; t++) {
        const start = performance.now();
        await store.withSession(userId, (state) =>
          Promise.resolve({ state: { turns: (state?.turns ?? 0) + 1 }, result: undefined }),
        );
        latenciesMs.push(performance.now() - start);
      }
    }),
  );
}

/** Each conversation has a turn due every CONVERSATIONS / OFFERED_TURNS_PER_SECOND seconds, phases spread. */
async function offerLoad(
  store: RedisSessionStore<Conversation>,
  users: string[],
  latenciesMs: number[],
): Promise<void> {
  const periodMs = (users.length / OFFERED_TURNS_PER_SECOND) * 1000;
  const start = performance.now();
  await Promise.all(
    users.map(async (userId, i) => {
      for (
        let due = start + (i / users.length) * periodMs;
        due < start + OFFERED_DURATION_MS;
        due += periodMs
      ) {
        // Timers may fire a hair early; a turn never starts before it is due.
        while (performance.now() < due) await sleep(due - performance.now());
        await store.withSession(userId, (state) =>
          Promise.resolve({ state: { turns: (state?.turns ?? 0) + 1 }, result: undefined }),
        );
        latenciesMs.push(performance.now() - due);
      }
    }),
  );
}

/** `redis-benchmark -q -n 100000 -c 50 -t set,get --csv` against the same server, parsed. */
export async function redisBenchmark(url: string): Promise<Record<string, unknown>> {
  const { hostname, port } = new URL(url);
  const admin = new Redis(url);
  try {
    const keyExisted = (await admin.exists(REDIS_BENCHMARK_KEY)) === 1;
    const args = ["-h", hostname || "127.0.0.1", "-p", port || "6379"];
    args.push("-q", "-n", "100000", "-c", "50", "-t", "set,get", "--csv");
    const { stdout } = await promisify(execFile)("redis-benchmark", args);
    if (!keyExisted) await admin.del(REDIS_BENCHMARK_KEY);
    return { command: `redis-benchmark ${args.join(" ")}`, ...parseCsv(stdout) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  } finally {
    await admin.quit();
  }
}

/** `"SET","93896.71","0.280",…` rows keyed by test name, numbers by column header. */
function parseCsv(csv: string): Record<string, Record<string, number>> {
  const rows = csv
    .trim()
    .split("\n")
    .map((line) => line.split(",").map((cell) => cell.replace(/^"|"$/g, "")));
  const [header = [], ...data] = rows;
  const result: Record<string, Record<string, number>> = {};
  for (const [test = "", ...cells] of data) {
    result[test] = Object.fromEntries(cells.map((cell, i) => [header[i + 1] ?? `col${i + 1}`, Number(cell)]));
  }
  return result;
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${JSON.stringify(await benchSessions(), null, 2)}\n`);
}
