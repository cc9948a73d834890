// Message safety under faults, with real processes: a real redis-server this test owns (append-only file synced
// on every write, so a restart keeps the data and loses the scripts) and two server processes running the Redis
// session store (test/faults/message-worker.ts). Each scenario sends 100 messages of 10 users at once, alternating
// between the servers; every turn appends its message id to its user's state. Mid-load a fault is injected; every
// message that got no real answer (its replies) is redelivered, as a platform would, until each has one. Then,
// per fault: no message lost (every id in its user's state), none run twice (no id twice), every message in
// flight during the fault answered after recovery with its own replies (never a bare duplicate). The figures are
// printed; no timing is asserted.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { userKeys } from "../../src/sessions/session-keys.ts";
import { ThrowawayRedis } from "../sessions/support/throwaway-redis.ts";
import { PROJECT_ROOT } from "../support/paths.ts";
import type { Delivered } from "./message-worker.ts";

const USERS = 10;
const PER_USER = 10;
// The servers' settings: a fault longer than the command timeout fails commands; the lease outlasts such a fault.
const COMMAND_TIMEOUT_MS = 500;
const LEASE_MS = 3_000;
const PENDING_WAIT_MS = 1_000;
const TURN_MS = 40;
// When the fault strikes after the batch was sent: a few turns of every user done, most still to come.
const FAULT_AT_MS = 150;

interface Answer {
  user: string;
  id: string;
  status: string;
  replies?: Array<{ text: string }>;
}

/** A message server process: `send` resolves with its answer, or rejects if the process dies first. */
interface MessageServer {
  send(user: string, id: string): Promise<Answer>;
  kill(): void;
  stop(): Promise<void>;
}

async function startServer(redisUrl: string, prefix: string): Promise<MessageServer> {
  const script = fileURLToPath(new URL("./message-worker.ts", import.meta.url));
  const args = [script, redisUrl, prefix, COMMAND_TIMEOUT_MS, LEASE_MS, PENDING_WAIT_MS, TURN_MS].map(String);
  const child: ChildProcessWithoutNullStreams = spawn(`${PROJECT_ROOT}node_modules/.bin/tsx`, args, {
    cwd: PROJECT_ROOT,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stderr = "";
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const waiting = new Map<string, Array<{ resolve: (a: Answer) => void; reject: (e: Error) => void }>>();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  createInterface({ input: child.stdout }).on("line", (line) => {
    if (line === "ready") return markReady();
    const answer = JSON.parse(line) as Answer;
    waiting.get(`${answer.user}/${answer.id}`)?.shift()?.resolve(answer);
  });
  void exited.then(() => {
    for (const queue of waiting.values()) for (const w of queue) w.reject(new Error("server died"));
    waiting.clear();
  });
  await Promise.race([
    ready,
    exited.then(() => Promise.reject(new Error(`server did not start: ${stderr}`))),
  ]);
  return {
    send(user, id) {
      return new Promise<Answer>((resolve, reject) => {
        if (child.exitCode !== null || child.signalCode !== null) return reject(new Error("server is dead"));
        const key = `${user}/${id}`;
        waiting.set(key, [...(waiting.get(key) ?? []), { resolve, reject }]);
        child.stdin.write(`${JSON.stringify({ user, id })}\n`);
      });
    },
    kill: () => child.kill("SIGKILL"),
    async stop() {
      if (child.exitCode === null && child.signalCode === null) {
        child.stdin.end();
        const killer = setTimeout(() => child.kill("SIGKILL"), 3_000);
        await exited;
        clearTimeout(killer);
      }
    },
  };
}

/** What a scenario prints. */
interface Figures {
  fault: string;
  messages: number;
  answeredDuringFault: number;
  inFlight: number;
  inFlightAnsweredAfterRecovery: number;
  /** In-flight messages whose turn had in fact committed: their redelivery got the recorded replies. */
  committedThenRedeliveredAsDuplicate: number;
  redeliveries: number;
  redeliveryRounds: number;
  lost: number;
  ranTwice: number;
  bareOrWrongReplies: number;
}

let redis: ThrowawayRedis;
let admin: Redis;
const servers: MessageServer[] = [];

beforeAll(async () => {
  redis = await ThrowawayRedis.start({ persistent: true });
  admin = new Redis(redis.url, { maxRetriesPerRequest: null });
  admin.on("error", () => undefined);
});
afterAll(async () => {
  await Promise.all(servers.map((server) => server.stop()));
  admin?.disconnect();
  redis?.resume();
  await redis?.remove();
});

/** A real answer: answered or a duplicate, with this message's own replies. */
const isReal = (answer: Answer | undefined, id: string) =>
  (answer?.status === "answered" || answer?.status === "duplicate") &&
  JSON.stringify(answer.replies) === JSON.stringify([{ text: `ok ${id}` }]);

/**
 * Sends the batch over two fresh servers, injects `fault` mid-load, redelivers until every message has a real
 * answer (to the servers `fault` says are alive), and measures what the users' states hold.
 */
async function runScenario(
  name: string,
  fault: (servers: MessageServer[]) => Promise<MessageServer[]>,
): Promise<Figures> {
  const prefix = `zc-faults:${name.replace(/\W+/g, "-")}:`;
  const pair = await Promise.all([startServer(redis.url, prefix), startServer(redis.url, prefix)]);
  servers.push(...pair);
  const messages = Array.from({ length: USERS * PER_USER }, (_, i) => ({
    user: `user-${i % USERS}`,
    id: `m-${i}`,
  }));
  const first = messages.map(({ user, id }, i) => pair[i % 2]!.send(user, id).catch(() => undefined));
  await sleep(FAULT_AT_MS);
  const alive = await fault(pair);
  servers.push(...alive.filter((s) => !pair.includes(s)));
  const firstAnswers = await Promise.all(first);

  let pending = messages.filter(({ id }, i) => !isReal(firstAnswers[i], id));
  const inFlight = pending.length;
  let redeliveries = 0;
  let rounds = 0;
  let duplicates = 0;
  const bare: string[] = [];
  const started = Date.now();
  while (pending.length > 0 && Date.now() - started < 30_000) {
    rounds++;
    redeliveries += pending.length;
    const answers = await Promise.all(
      pending.map(({ user, id }, i) => alive[i % alive.length]!.send(user, id).catch(() => undefined)),
    );
    answers.forEach((answer, i) => {
      const { id } = pending[i]!;
      if (answer?.status === "duplicate") {
        if (isReal(answer, id)) duplicates++;
        else bare.push(id);
      }
    });
    pending = pending.filter(({ id }, i) => !isReal(answers[i], id));
    if (pending.length > 0) await sleep(200);
  }

  const states = await Promise.all(
    Array.from({ length: USERS }, async (_, u) => {
      const raw = await admin.get(userKeys(prefix, `user-${u}`).state);
      return raw === null ? [] : (JSON.parse(raw) as { state: Delivered }).state.ids;
    }),
  );
  const committed = states.flat();
  const counts = new Map<string, number>();
  for (const id of committed) counts.set(id, (counts.get(id) ?? 0) + 1);
  await Promise.all(alive.map((server) => server.stop()));
  return {
    fault: name,
    messages: messages.length,
    answeredDuringFault: messages.length - inFlight,
    inFlight,
    inFlightAnsweredAfterRecovery: inFlight - pending.length,
    committedThenRedeliveredAsDuplicate: duplicates,
    redeliveries,
    redeliveryRounds: rounds,
    lost: messages.filter(({ id }) => !counts.has(id)).length,
    ranTwice: [...counts.values()].filter((n) => n > 1).length,
    bareOrWrongReplies: bare.length,
  };
}

function expectSafe(figures: Figures): void {
  console.log(JSON.stringify(figures));
  expect(figures.lost).toBe(0);
  expect(figures.ranTwice).toBe(0);
  expect(figures.bareOrWrongReplies).toBe(0);
  expect(figures.inFlightAnsweredAfterRecovery).toBe(figures.inFlight);
}

describe("message safety under faults (100 messages, 10 users, two servers)", () => {
  it("SIGKILL of a server mid-turn: its messages run when redelivered once their claims lapse", async () => {
    const figures = await runScenario("server SIGKILL", async ([victim, survivor]) => {
      victim!.kill();
      // The platform redelivers to the surviving server and to the victim's replacement.
      return [survivor!, await startServer(redis.url, "zc-faults:server-SIGKILL:")];
    });
    expectSafe(figures);
    // The victim had turns in flight; the test means nothing if the fault hit nothing.
    expect(figures.inFlight).toBeGreaterThan(0);
  });

  it("Redis frozen (SIGSTOP) for less than the command timeout", async () => {
    expectSafe(
      await runScenario("redis SIGSTOP 200 ms", async (pair) => {
        redis.pause();
        await sleep(200);
        redis.resume();
        return pair;
      }),
    );
  });

  it("Redis frozen for more than the command timeout, less than the lease: committed turns answered busy are not run again", async () => {
    const figures = await runScenario("redis SIGSTOP 1500 ms", async (pair) => {
      redis.pause();
      await sleep(1_500);
      redis.resume();
      return pair;
    });
    expectSafe(figures);
    expect(figures.inFlight).toBeGreaterThan(0);
  });

  it("Redis restarted (killed, down 1 s, data kept, scripts gone)", async () => {
    const figures = await runScenario("redis restart", async (pair) => {
      await redis.stop();
      await sleep(1_000);
      await redis.start();
      return pair;
    });
    expectSafe(figures);
    expect(figures.inFlight).toBeGreaterThan(0);
  });

  it("SCRIPT FLUSH mid-load", async () => {
    expectSafe(
      await runScenario("SCRIPT FLUSH", async (pair) => {
        await admin.script("FLUSH");
        return pair;
      }),
    );
  });

  it("every client connection dropped (CLIENT KILL)", async () => {
    const figures = await runScenario("CLIENT KILL", async (pair) => {
      await admin.call("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes");
      return pair;
    });
    expectSafe(figures);
    expect(figures.inFlight).toBeGreaterThan(0);
  });
});
