// Platform calls retried with capped exponential backoff; a platform's own "retry after" is obeyed.
import { setTimeout as delay } from "node:timers/promises";
import { isTransient, PlatformRefusedError } from "./platform-error.ts";

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number;
  /** First backoff; doubled each time up to `maxMs`, with jitter (half to all of it). */
  baseMs: number;
  maxMs: number;
  /** A platform asking for a longer wait than this is not waited for (the call fails instead). */
  maxRetryAfterMs: number;
}

/** Six tries over about 30 s: a platform blip or a 429 is ridden out; a long outage fails the send. */
export const DEFAULT_RETRY: RetryPolicy = {
  attempts: 6,
  baseMs: 500,
  maxMs: 10_000,
  maxRetryAfterMs: 60_000,
};

/** Called before each wait, for logging. */
export type OnRetry = (err: unknown, attempt: number, waitMs: number) => void;

/**
 * Runs `call` until it succeeds, fails for good (not {@link isTransient}), or runs out of attempts; the last
 * error propagates. Between tries waits the platform's `retryAfterMs`, else the backoff.
 */
export async function withRetry<T>(
  call: () => Promise<T>,
  policy: RetryPolicy = DEFAULT_RETRY,
  onRetry?: OnRetry,
  sleep: (ms: number) => Promise<unknown> = delay,
): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await call();
    } catch (err) {
      if (attempt >= policy.attempts || !isTransient(err)) throw err;
      const asked = err instanceof PlatformRefusedError ? err.retryAfterMs : undefined;
      if (asked !== undefined && asked > policy.maxRetryAfterMs) throw err;
      const backoff = Math.min(policy.maxMs, policy.baseMs * 2 ** (attempt - 1));
      const waitMs = asked ?? Math.round(backoff * (0.5 + Math.random() / 2));
      onRetry?.(err, attempt, waitMs);
      await sleep(waitMs);
    }
  }
}
