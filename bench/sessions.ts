// Session store throughput: withSession turns/s and latency on Redis at 1,000 conversations, beside redis-benchmark.
import { execFile } from "node:child_process";
import { randomUUID } from "node:crypto";
import { promisify } from "node:util";
import { Redis } from "ioredis";
import { loadConfig } from "../src/config.ts";
import { createRedisClient } from "../src/sessions/create-redis-client.ts";
import { RedisSessionStore } from "../src/sessions/redis-session-store.ts";
import { closedLoop, closedLoopFigures, goalFigures, goalLoad, openLoop, openLoopFigures } from "./load.ts";

const WARM_UP_TURNS = 5;
const TURNS_PER_CONVERSATION = 50;
// The goal's load (bench/load.ts), measured for 5 s.
const OFFERED = goalLoad(5_000);
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
  const users = Array.from({ length: OFFERED.conversations }, (_, i) => `bench-${i}`);
  // A trivial turn (a counter), so the figures are the store's own.
  const turn = (i: number) =>
    store.withSession(users[i] ?? "", (state) =>
      Promise.resolve({ state: { turns: (state?.turns ?? 0) + 1 }, result: undefined }),
    );
  try {
    await store.ping();
    await closedLoop(OFFERED.conversations, WARM_UP_TURNS, turn);
    // The goal's load first, on a heap not yet churned by the saturation run.
    const open = await openLoop(OFFERED, turn);
    const closed = await closedLoop(OFFERED.conversations, TURNS_PER_CONVERSATION, turn);
    return {
      store: "redis",
      conversations: OFFERED.conversations,
      saturation: closedLoopFigures(TURNS_PER_CONVERSATION, closed),
      atOfferedLoad: openLoopFigures(OFFERED, open),
      goal: goalFigures(OFFERED, closed, open),
      redisBenchmark: await redisBenchmark(url),
    };
  } finally {
    await Promise.all(users.map((userId) => store.forget(userId)));
    await store.close();
  }
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
