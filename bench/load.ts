// The two loads every throughput section applies to its conversations: back to back (saturation) and a steady
// offered rate (the goal's load), one definition for all of them.
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import { latencySummary } from "./latency.ts";

/** One turn of conversation `index`. */
export type TurnOf = (index: number) => Promise<unknown>;

/**
 * Closed loop: each of `conversations` takes `turns` turns one after another, all conversations at once.
 * Latency includes queueing by construction (Little's law: conversations in flight / throughput).
 */
export async function closedLoop(
  conversations: number,
  turns: number,
  turn: TurnOf,
): Promise<{ latenciesMs: number[]; turnsPerSecond: number }> {
  const latenciesMs: number[] = [];
  const started = performance.now();
  await Promise.all(
    Array.from({ length: conversations }, async (_, i) => {
      for (let t = 0; t < turns; t++) {
        const start = performance.now();
        await turn(i);
        latenciesMs.push(performance.now() - start);
      }
    }),
  );
  const turnsPerSecond = Math.round(latenciesMs.length / ((performance.now() - started) / 1000));
  return { latenciesMs, turnsPerSecond };
}

/**
 * The goal: 1,000 conversations, each sending a turn every 100 ms (10,000 turns/s in all), answered with
 * a p99 of at most 20 ms; measured after one second at that rate. Sections choose how long they measure.
 */
export function goalLoad(measuredMs: number): OfferedLoad {
  return { conversations: 1_000, turnsPerSecond: 10_000, warmUpMs: 1_000, measuredMs };
}
const GOAL_P99_MS = 20;

/** Whether a section met the goal: saturation at least the offered rate, and the p99 at that rate. */
export function goalFigures(
  load: OfferedLoad,
  closed: Awaited<ReturnType<typeof closedLoop>>,
  open: Awaited<ReturnType<typeof openLoop>>,
): Record<string, unknown> {
  return {
    turnsPerSecond: load.turnsPerSecond,
    p99Ms: GOAL_P99_MS,
    met: closed.turnsPerSecond >= load.turnsPerSecond && latencySummary(open.latenciesMs).p99 <= GOAL_P99_MS,
  };
}

/** Settings of {@link openLoop}. */
export interface OfferedLoad {
  conversations: number;
  turnsPerSecond: number;
  /** Time at the offered rate before measuring: the process reaches its steady state (heap, JIT, queues). */
  warmUpMs: number;
  measuredMs: number;
}

/**
 * Open loop: each conversation has a turn due every `conversations / turnsPerSecond` seconds, phases spread
 * evenly, whether or not the process keeps up. Latency counts from when a turn was due, so falling behind
 * shows as latency, not as a lower rate; a conversation whose turn is due while its previous one still runs
 * sends it as soon as that one is answered. Turns due during the warm-up run but are not counted.
 *
 * One scheduler wakes every millisecond and starts every turn that has come due (as a load generator such as
 * wrk2 does), rather than one timer per turn: the generator's own timers are not what is being measured.
 */
export async function openLoop(
  load: OfferedLoad,
  turn: TurnOf,
): Promise<{ latenciesMs: number[]; achievedTurnsPerSecond: number }> {
  const { conversations, turnsPerSecond, warmUpMs, measuredMs } = load;
  const gapMs = 1000 / turnsPerSecond;
  const latenciesMs: number[] = [];
  const start = performance.now();
  const measureFrom = start + warmUpMs;
  const total = Math.floor((warmUpMs + measuredMs) / gapMs);
  // Turn j is conversation j % conversations's, due at start + j * gapMs.
  const waiting: number[][] = Array.from({ length: conversations }, () => []);
  const running: boolean[] = new Array<boolean>(conversations).fill(false);
  const inFlight = new Set<Promise<void>>();
  let lastDone = measureFrom;

  const run = (i: number, due: number): Promise<void> =>
    turn(i).then(() => {
      const done = performance.now();
      if (due >= measureFrom) {
        latenciesMs.push(done - due);
        lastDone = Math.max(lastDone, done);
      }
      const next = waiting[i]?.shift();
      if (next === undefined) running[i] = false;
      else track(run(i, next));
    });
  const track = (p: Promise<void>) => {
    inFlight.add(p);
    void p.finally(() => inFlight.delete(p));
  };

  for (let j = 0; j < total;) {
    const now = performance.now();
    for (; j < total && start + j * gapMs <= now; j++) {
      const i = j % conversations;
      const due = start + j * gapMs;
      if (running[i]) waiting[i]?.push(due);
      else {
        running[i] = true;
        track(run(i, due));
      }
    }
    if (j < total) await sleep(Math.max(1, start + j * gapMs - performance.now()));
  }
  while (inFlight.size > 0) await Promise.all(inFlight);
  const achievedTurnsPerSecond = Math.round(latenciesMs.length / ((lastDone - measureFrom) / 1000));
  return { latenciesMs, achievedTurnsPerSecond };
}

/** The figures of a closed-loop run, with how they were taken. */
export function closedLoopFigures(
  turnsPerConversation: number,
  run: Awaited<ReturnType<typeof closedLoop>>,
): Record<string, unknown> {
  return {
    method: `closed loop: ${turnsPerConversation} turns per conversation back to back, all at once`,
    turns: run.latenciesMs.length,
    turnsPerSecond: run.turnsPerSecond,
    latencyMs: latencySummary(run.latenciesMs),
  };
}

/** The figures of an open-loop run, with how they were taken. */
export function openLoopFigures(
  load: OfferedLoad,
  run: Awaited<ReturnType<typeof openLoop>>,
): Record<string, unknown> {
  return {
    method:
      `open loop: ${load.turnsPerSecond} turns/s offered, measured for ${load.measuredMs} ms after ` +
      `${load.warmUpMs} ms at the same rate; latency from when each turn was due`,
    offeredTurnsPerSecond: load.turnsPerSecond,
    achievedTurnsPerSecond: run.achievedTurnsPerSecond,
    turns: run.latenciesMs.length,
    latencyMs: latencySummary(run.latenciesMs),
  };
}
