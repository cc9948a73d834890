// Chat throughput: real dialog turns through chatTurn with the Redis store at 1,000 concurrent conversations,
// beside redis-benchmark on the same server, and the turns each simulated applicant needs to reach a verdict.
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
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
import { closedLoop, closedLoopFigures, goalFigures, goalLoad, openLoop, openLoopFigures } from "./load.ts";
import { redisBenchmark } from "./sessions.ts";
import { deleteKeysUnder } from "../test/sessions/support/redis-test-prefix.ts";

const WARM_UP_TURNS = 5;
const TURNS_PER_CONVERSATION = 20;
// The goal's load (bench/load.ts), measured for 3 s.
const OFFERED = goalLoad(3_000);
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

  /** Runs the next turn and prepares the answer to whatever it asked. */
  async turn(chat: ChatTurnDeps): Promise<void> {
    const text = this.#next;
    const user = `c${this.id}-${this.#round}`;
    const messageId = `${user}-${this.#turns++}`;
    const { replies } = await chatTurn({ channel: "bench", user, text, messageId }, chat);
    const last = replies.map((r) => r.text).join("\n");
    if (replies.length === 0 || last === CHAT_MESSAGES.busy || last === CHAT_MESSAGES.rateLimited)
      throw new Error(`conversation ${this.id}: unexpected reply ${JSON.stringify(replies)}`);
    if (last.includes("结论：")) {
      this.#round++;
      this.#next = this.applicant.opening;
    } else {
      this.#next = answer(this.applicant, last.split("\n").at(-1) ?? "", this.#rnd);
    }
  }
}

/** Runs the measurement and returns the figures with the goals and the method beside them. */
export async function benchChat(): Promise<Record<string, unknown>> {
  const url = loadConfig().REDIS_URL ?? "redis://127.0.0.1:6379";
  const prefix = `zc-bench-chat:${randomUUID().slice(0, 8)}:`;
  const config = loadConfig({ REDIS_URL: url, REDIS_PREFIX: prefix, RATE_LIMIT_PER_MINUTE: "1000000000" });
  const services = await createServices(config, fixedClock(AS_OF_INSTANT));
  services.prepare(); // as `serve` does
  const chat = await createChat(services);
  const admin = new Redis(url);
  try {
    await chat.store.ping();
    const conversations = Array.from(
      { length: OFFERED.conversations },
      (_, i) => new Conversation(i, APPLICANTS[i % APPLICANTS.length] as Applicant),
    );
    const turn = (i: number) => (conversations[i] as Conversation).turn(chat);
    // Warm-up: loads the knowledge, rules and retriever, and JIT-compiles the dialog.
    await closedLoop(OFFERED.conversations, WARM_UP_TURNS, turn);

    // The goal's load first, on a heap not yet churned by the saturation run.
    const openCpu = await cpuMeter(admin);
    const open = await openLoop(OFFERED, turn);
    const openCpuShare = await openCpu();

    // Saturation: every conversation sends its next turn as soon as the last is answered.
    const closedCpu = await cpuMeter(admin);
    const closed = await closedLoop(OFFERED.conversations, TURNS_PER_CONVERSATION, turn);
    const closedCpuShare = await closedCpu();

    // Service time: one conversation at a time, so no turn waits behind another (no queueing).
    const alone = await closedLoop(1, SERVICE_TIME_TURNS, turn);

    return {
      method:
        "in-process chatTurn (message-id dedupe, rate limit, Redis session lock/load/commit, real handleTurn " +
        "with the real engine, deadlines and retrieval) for 1,000 concurrent conversations of the simulated " +
        "applicants (test/dialogs/support/applicants.ts) answering what they are asked, a new user each time " +
        `a verdict is reached; one Node process, one Redis connection; clock fixed at ${AS_OF}`,
      store: "redis",
      conversations: OFFERED.conversations,
      saturation: { ...closedLoopFigures(TURNS_PER_CONVERSATION, closed), cpuCores: closedCpuShare },
      atOfferedLoad: { ...openLoopFigures(OFFERED, open), cpuCores: openCpuShare },
      serviceTime: {
        method: `one conversation, ${SERVICE_TIME_TURNS} turns one after another (no concurrency)`,
        latencyMs: latencySummary(alone.latenciesMs),
      },
      goal: goalFigures(OFFERED, closed, open),
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
 * (`process.cpuUsage`, all its threads; `nodeKernel` is the part spent in system calls; `eventLoopBusy` is the
 * share of time the main thread was not waiting for events) and by the Redis server (`INFO cpu`), so a figure
 * shows which side was busy.
 */
async function cpuMeter(
  redis: Redis,
): Promise<() => Promise<{ node: number; nodeKernel: number; eventLoopBusy: number; redis: number }>> {
  const redisCpuSeconds = async () => {
    const info = await redis.info("cpu");
    const field = (name: string) => Number(new RegExp(`^${name}:([\\d.]+)`, "m").exec(info)?.[1] ?? NaN);
    return field("used_cpu_sys") + field("used_cpu_user");
  };
  const wallStart = performance.now();
  const nodeStart = process.cpuUsage();
  const loopStart = performance.eventLoopUtilization();
  const redisStart = await redisCpuSeconds();
  return async () => {
    const wallSeconds = (performance.now() - wallStart) / 1000;
    const node = process.cpuUsage(nodeStart);
    const redisSeconds = (await redisCpuSeconds()) - redisStart;
    const round = (v: number) => Math.round(v * 100) / 100;
    return {
      node: round((node.user + node.system) / 1e6 / wallSeconds),
      nodeKernel: round(node.system / 1e6 / wallSeconds),
      eventLoopBusy: round(performance.eventLoopUtilization(loopStart).utilization),
      redis: round(redisSeconds / wallSeconds),
    };
  };
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
