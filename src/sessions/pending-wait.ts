// A repeat of a message whose first delivery is still running waits for it, polling with backoff and jitter.
import { performance } from "node:perf_hooks";
import { setTimeout as sleep } from "node:timers/promises";
import type { MessageOutcome } from "./session-store.ts";

const FIRST_STEP_MS = 20;
const MAX_STEP_MS = 250;

/**
 * Calls `attempt` until it answers anything but `pending` or `waitMs` has passed (then the last `pending`).
 * `attempt` gets the milliseconds left. Steps double from 20 ms to 250 ms, each with half of it random, so
 * repeats polling one message from several processes do not poll in step.
 */
export async function waitWhilePending<R>(
  waitMs: number,
  attempt: (remainingMs: number) => Promise<MessageOutcome<R>>,
): Promise<MessageOutcome<R>> {
  const started = performance.now();
  let stepMs = FIRST_STEP_MS;
  for (;;) {
    const outcome = await attempt(Math.max(0, waitMs - (performance.now() - started)));
    const leftMs = waitMs - (performance.now() - started);
    if (outcome.status !== "pending" || leftMs <= 0) return outcome;
    await sleep(Math.min(leftMs, stepMs / 2 + Math.random() * (stepMs / 2)));
    stepMs = Math.min(stepMs * 2, MAX_STEP_MS);
  }
}

/** The result as a message's record keeps it: what a redelivery gets back. */
export function jsonCopy(result: unknown): unknown {
  return JSON.parse(JSON.stringify(result ?? null)) as unknown;
}

/** What `promise` settled to within `ms` (undefined if it rejected), or "timeout". */
export async function settledWithin<T>(promise: Promise<T>, ms: number): Promise<T | undefined | "timeout"> {
  const abort = new AbortController();
  const timeout = sleep(ms, "timeout" as const, { signal: abort.signal }).catch(() => "timeout" as const);
  try {
    return await Promise.race([promise.catch(() => undefined), timeout]);
  } finally {
    abort.abort();
  }
}
