// Chat throughput: real dialog turns through chatTurn with the Redis store at 1,000 concurrent conversations,
// beside redis-benchmark on the same server, and the turns each simulated applicant needs to reach a verdict.
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { pathToFileURL } from "node:url";
import { Redis } from "ioredis";
import { chatTurn, type ChatTurnDeps } from "../src/app/chat-turn.ts";
import { loadConfig } from "../src/config.ts";
import { CHAT_MESSAGES } from "../src/i18n/chat-messages.ts";
import { createChat, createServices } from "../src/main.ts";
import { fixedClock } from "../src/shared/clock.ts";
// The simulated applicants live with the tests; the bench drives the very same ones.
import { answer, seededRandom, type Applicant } from "../test/dialogs/support/applicant.ts";
import { APPLICANTS, converse, expectedVerdict, VERDICT_TEXT } from "../test/dialogs/support/applicants.ts";
import { latencySummary } from "./latency.ts";
import { redisBenchmark } from "./sessions.ts";
import { deleteKeysUnder } from "../test/sessions/support/redis-test-prefix.ts";

const CONVERSATIONS = 1_000;
const WARM_UP_TURNS = 5;
const TURNS_PER_CONVERSATION = 20;
// The goal's load offered open-loop: each conversation sends a turn every 100 ms, 10,000 turns/s in all.
const OFFERED_TURNS_PER_SECOND = 10_000;
const OFFERED_DURATION_MS = 3_000;
// The instant the conversations happen at, so every run asks the same questions (the dialog tests' day).
const AS_OF_INSTANT = "2024-08-15T04:00:00Z";
const AS_OF = "2024-08-15";
const SERVICE_TIME_TURNS = 500;

/**
 * One simulated applicant's conversation, endless: once a verdict comes, the same applicant starts again as a
 * new user, so every turn is a real dialog turn (an opening with several facts, or an answer to a question).
 */
class Conversation {
  #round = 0;
  #next: string;
  #turns = 0;
  readonly #rnd: () => number;

  constructor(
    readonly id: number,
    readonly applicant: Applicant,
  ) {
    this.#rnd = seededRandom(id + 1);
    this.#next = applicant.opening;
  }

  /** Runs the next turn; returns its latency in ms, timed from `due` (default: when it was sent). */
  async turn(chat: ChatTurnDeps, due?: number): Promise<number> {
    const text = this.#next;
    const user = `c${this.id}-${this.#round}`;
    const messageId = `${user}-${this.#turns++}`;
    const start = performance.now();
    const { replies } = await chatTurn({ channel: "bench", user, text, messageId }, chat);
    const latency = performance.now() - (due ?? start);
    const last = replies.map((r) => r.text).join("\n");
    if (replies.length === 0 || last === CHAT_MESSAGES.busy || last === CHAT_MESSAGES.rateLimited)
      throw new Error(`conversation ${this.id}: unexpected reply ${JSON.stringify(replies)}`);
    if (last.includes("结论：")) {
      this.#round++;
      this.#next = this.applicant.opening;
    } else {
      this.#next = answer(this.applicant, last.split("\n").at(-1) ?? "", this.#rnd);
    }
    return latency;
  }
}

/** Runs the measurement and returns the figures with the goals and the method beside them. */
export async function benchChat(): Promise<Record<string, unknown>> {
  const url = loadConfig().REDIS_URL ?? "redis://127.0.0.1:6379";
  const prefix = `zc-bench-chat:${randomUUID().slice(0, 8)}:`;
  const config = loadConfig({ REDIS_URL: url, REDIS_PREFIX: prefix, RATE_LIMIT_PER_MINUTE: "1000000000" });
  const services = await createServices(config, fixedClock(AS_OF_INSTANT));
  const chat = await createChat(services);
  const admin = new Redis(url);
  try {
    await chat.store.ping();
    const conversations = Array.from(
      { length: CONVERSATIONS },
      (_, i) => new Conversation(i, APPLICANTS[i % APPLICANTS.length] as Applicant),
    );
    // Warm-up: loads the knowledge, rules and retriever, and JIT-compiles the dialog.
    await closedLoop(chat, conversations, WARM_UP_TURNS, []);

    // Saturation: every conversation sends its next turn as soon as the last is answered (closed loop).
    // Latency here includes queueing by construction (Little's law: 1,000 in flight / throughput).
    const closed: number[] = [];
    const closedCpu = await cpuMeter(admin);
    const started = performance.now();
    await closedLoop(chat, conversations, TURNS_PER_CONVERSATION, closed);
    const turnsPerSecond = Math.round(closed.length / ((performance.now() - started) / 1000));
    const closedCpuShare = await closedCpu();

    // The goal's load: 10,000 turns/s offered at a steady rate over the same 1,000 conversations (open loop);
    // latency counts from when a turn was due, so falling behind shows as latency, not as a lower rate.
    const open: number[] = [];
    const openCpu = await cpuMeter(admin);
    const openStarted = performance.now();
    await openLoop(chat, conversations, open);
    const achieved = Math.round(open.length / ((performance.now() - openStarted) / 1000));
    const openCpuShare = await openCpu();
    const atGoal = latencySummary(open);

    // Service time: one conversation at a time, so no turn waits behind another (no queueing).
    const alone: number[] = [];
    await closedLoop(chat, conversations.slice(0, 1), SERVICE_TIME_TURNS, alone);

    return {
      method:
        "in-process chatTurn (message-id dedupe, rate limit, Redis session lock/load/commit, real handleTurn " +
        "with the real engine, deadlines and retrieval) for 1,000 concurrent conversations of the simulated " +
        "applicants (test/dialogs/support/applicants.ts) answering what they are asked, a new user each time " +
        `a verdict is reached; one Node process, one Redis connection; clock fixed at ${AS_OF}`,
      store: "redis",
      conversations: CONVERSATIONS,
      saturation: {
        method: `closed loop: ${TURNS_PER_CONVERSATION} turns per conversation back to back, all at once`,
        turns: closed.length,
        turnsPerSecond,
        latencyMs: latencySummary(closed),
        cpuCores: closedCpuShare,
      },
      atOfferedLoad: {
        method: `open loop: ${OFFERED_TURNS_PER_SECOND} turns/s offered for ${OFFERED_DURATION_MS} ms; latency from when each turn was due`,
        offeredTurnsPerSecond: OFFERED_TURNS_PER_SECOND,
        achievedTurnsPerSecond: achieved,
        turns: open.length,
        latencyMs: atGoal,
        cpuCores: openCpuShare,
      },
      serviceTime: {
        method: `one conversation, ${SERVICE_TIME_TURNS} turns one after another (no concurrency)`,
        latencyMs: latencySummary(alone),
      },
      goal: {
        turnsPerSecond: 10_000,
        p99Ms: 20,
        met: turnsPerSecond >= OFFERED_TURNS_PER_SECOND && atGoal.p99 <= 20,
      },
      redisBenchmark: await redisBenchmark(url),
      turnsToVerdict: await turnsToVerdict(chat, services.assess),
    };
  } finally {
    await chat.store.close();
    await deleteKeysUnder(admin, prefix);
    await admin.quit();
  }
}

/**
 * Starts measuring CPU; the returned function gives the cores used since, by this Node process
 * (`process.cpuUsage`) and by the Redis server (`INFO cpu`), so a figure shows which side was busy.
 */
async function cpuMeter(redis: Redis): Promise<() => Promise<{ node: number; redis: number }>> {
  const redisCpuSeconds = async () => {
    const info = await redis.info("cpu");
    const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, "m").exec(info)?.[1] ?? NaN);
    return field("used_cpu_sys") + field("used_cpu_user");
  };
  const wallStart = performance.now();
  const nodeStart = process.cpuUsage();
  const redisStart = await redisCpuSeconds();
  return async () => {
    const wallSeconds = (performance.now() - wallStart) / 1000;
    const node = process.cpuUsage(nodeStart);
    const redisSeconds = (await redisCpuSeconds()) - redisStart;
    const round = (v: number) => Math.round(v * 100) / 100;
    return {
      node: round((node.user + node.system) / 1e6 / wallSeconds),
      redis: round(redisSeconds / wallSeconds),
    };
  };
}

/** Every conversation takes `turns` turns one after another; all conversations run at once. */
async function closedLoop(
  chat: ChatTurnDeps,
  conversations: Conversation[],
  turns: number,
  latenciesMs: number[],
): Promise<void> {
  await Promise.all(
    conversations.map(async (c) => {
      for (let t = 0; t < turns; t++) latenciesMs.push(await c.turn(chat));
    }),
  );
}

/** Each conversation has a turn due every CONVERSATIONS / OFFERED_TURNS_PER_SECOND seconds, phases spread. */
async function openLoop(
  chat: ChatTurnDeps,
  conversations: Conversation[],
  latenciesMs: number[],
): Promise<void> {
  const periodMs = (conversations.length / OFFERED_TURNS_PER_SECOND) * 1000;
  const start = performance.now();
  await Promise.all(
    conversations.map(async (c, i) => {
      for (
        let due = start + (i / conversations.length) * periodMs;
        due < start + OFFERED_DURATION_MS;
        due += periodMs
      ) {
        // Timers may fire a hair early; a turn never starts before it is due.
        while (performance.now() < due) await sleep(due - performance.now());
        latenciesMs.push(await c.turn(chat, due));
      }
    }),
  );
}

/** Turns each simulated applicant needs to reach the engine's verdict (three wordings each), one at a time. */
async function turnsToVerdict(
  chat: ChatTurnDeps,
  assess: Parameters<typeof expectedVerdict>[0],
): Promise<Record<string, unknown>> {
  const rows: Array<Record<string, unknown>> = [];
  for (const a of APPLICANTS) {
    const turns: number[] = [];
    let reachedExpected = true;
    const expected = expectedVerdict(assess, a, AS_OF);
    for (const seed of [1, 2, 3]) {
      const user = `verdict-${randomUUID().slice(0, 8)}`;
      const says = async (text: string) =>
        (await chatTurn({ channel: "bench", user, text }, chat)).replies.map((r) => r.text).join("\n");
      const result = await converse(says, a, seed);
      turns.push(result.turns);
      if (!result.last.includes(VERDICT_TEXT[expected])) reachedExpected = false;
    }
    rows.push({ applicant: a.name, verdict: expected, turns, reachedExpected });
  }
  const all = rows.flatMap((r) => r.turns as number[]);
  return {
    method:
      "each applicant of test/dialogs/support/applicants.ts with wording seeds 1–3, through chatTurn and Redis",
    applicants: rows,
    meanTurns: Math.round((all.reduce((s, n) => s + n, 0) / all.length) * 100) / 100,
    maxTurns: Math.max(...all),
  };
}

if (process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href) {
  process.stdout.write(`${JSON.stringify(await benchChat(), null, 2)}\n`);
}
