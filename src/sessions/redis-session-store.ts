// The Redis session store: state, turn locks, dedupe markers and rate counters shared by every process.
import { randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Redis } from "ioredis";
import { KeyedQueue } from "./keyed-queue.ts";
import { messageKey, userKeys } from "./session-keys.ts";
import type { UserKeys } from "./session-keys.ts";
import { abandon, admitAndAcquire, commitAndRelease, renew } from "./session-scripts.ts";
import type { MessageOutcome, SessionStore, SessionStoreOptions, Turn } from "./session-store.ts";
import {
  RATE_WINDOW_MS,
  SessionBusyError,
  SessionStoreError,
  StoreUnavailableError,
} from "./session-store.ts";
import { decodeState, encodeState } from "./state-envelope.ts";

/** What a message's first attempt checks before taking the lock: its rate counter and dedupe claim. */
interface Admission {
  rate: string;
  message: string | undefined;
}

/** The keys a turn may hold under its token: the lock, and the message's dedupe claim if it has one. */
function lockAndClaim(keys: UserKeys, admission: Admission | undefined): string[] {
  return admission?.message === undefined ? [keys.lock] : [keys.lock, admission.message];
}

/** Options of {@link RedisSessionStore}. */
export interface RedisSessionStoreOptions<S> extends SessionStoreOptions<S> {
  /** A client from `createRedisClient` (fail-fast settings). */
  redis: Redis;
  /** Prefix of every key, one per deployment (e.g. `zc:`); tests use their own. */
  prefix: string;
  /** Quit the client on `close()`; false when the caller shares the client. */
  ownsClient?: boolean;
  /** Lock lease; renewed every third of it while the turn runs, so only a dead process lets it lapse. */
  lockLeaseMs?: number;
  /** How long a turn waits (summed back-off) for another turn of the same user before SessionBusyError. */
  lockWaitMs?: number;
  /** How long operations wait for the very first connection before failing fast. */
  initialConnectWaitMs?: number;
}

/**
 * Sessions in Redis.
 *
 * Serialisation: a per-user lock (`SET lock token NX PX lease`, renewed while the turn runs, released by
 * compare-and-delete, the write fenced on the token) rather than optimistic WATCH/MULTI, because WATCH is
 * per connection (it would need one connection per concurrent turn, where this shares one pipelined
 * connection) and because a conflict would re-run the turn, whose work (parsing, an LLM call) is neither
 * cheap nor free of effects. Within one process turns of a user also queue on a promise chain first, so
 * the lock is contended only between processes.
 */
export class RedisSessionStore<S> implements SessionStore<S> {
  readonly #options: RedisSessionStoreOptions<S>;
  readonly #redis: Redis;
  readonly #local = new KeyedQueue();
  readonly #leaseMs: number;
  readonly #waitMs: number;
  readonly #firstConnection: Promise<void>;

  constructor(options: RedisSessionStoreOptions<S>) {
    this.#options = options;
    this.#redis = options.redis;
    this.#leaseMs = options.lockLeaseMs ?? 10_000;
    this.#waitMs = options.lockWaitMs ?? 10_000;
    this.#firstConnection = firstConnection(options.redis, options.initialConnectWaitMs ?? 3_000);
  }

  async withSession<R>(userId: string, turn: Turn<S, R>): Promise<R> {
    const outcome = await this.#local.run(userId, () =>
      this.#lockedTurn(userKeys(this.#options.prefix, userId), undefined, turn),
    );
    // Without a message there is nothing to refuse: every outcome is answered.
    return (outcome as { status: "answered"; result: R }).result;
  }

  withMessage<R>(userId: string, key: string | undefined, turn: Turn<S, R>): Promise<MessageOutcome<R>> {
    const keys = userKeys(this.#options.prefix, userId);
    const message = key === undefined ? undefined : messageKey(this.#options.prefix, key);
    return this.#local.run(userId, () => this.#lockedTurn(keys, { rate: keys.rate, message }, turn));
  }

  async forget(userId: string): Promise<void> {
    const { state, lock, rate } = userKeys(this.#options.prefix, userId);
    await this.#call(() => this.#redis.del(state, lock, rate));
  }

  async ping(): Promise<void> {
    await this.#call(() => this.#redis.ping());
  }

  async close(): Promise<void> {
    if (this.#options.ownsClient === false) return;
    if (this.#redis.status === "ready") {
      await this.#redis.quit().catch(() => this.#redis.disconnect());
    } else {
      this.#redis.disconnect();
    }
  }

  async #lockedTurn<R>(
    keys: UserKeys,
    admission: Admission | undefined,
    turn: Turn<S, R>,
  ): Promise<MessageOutcome<R>> {
    const { version, migrate, ttlSeconds } = this.#options;
    const token = randomUUID();
    const acquired = await this.#acquire(keys, token, admission);
    if (acquired.status !== "taken") return acquired;
    // From here on a failure withdraws the message's claim with the lock, so the redelivery is answered.
    const heldKeys = lockAndClaim(keys, admission);
    const giveUp = () => this.#call(() => abandon.run(this.#redis, heldKeys, [token])).catch(() => undefined);
    const stopRenewing = this.#keepLeased(keys, token);
    let outcome: Awaited<ReturnType<Turn<S, R>>>;
    try {
      outcome = await turn(decodeState(acquired.stored, version, migrate));
    } catch (error) {
      stopRenewing();
      // Best effort: if Redis is away the lease lapses by itself; the turn's error is what the caller needs.
      await giveUp();
      throw error;
    }
    stopRenewing();
    const { state } = outcome;
    const mode = state === undefined ? "keep" : state === "delete" ? "delete" : "set";
    const value = mode === "set" ? encodeState(version, state) : "";
    const committed = await this.#call(() =>
      commitAndRelease.run(this.#redis, [keys.lock, keys.state], [token, mode, value, ttlSeconds]),
    ).catch(async (error: unknown) => {
      await giveUp();
      throw error;
    });
    if (Number(committed) !== 1) {
      await giveUp();
      throw new SessionBusyError("lock-lost");
    }
    return { status: "answered", result: outcome.result };
  }

  /**
   * Admits the message (first attempt only), then takes the user's lock, backing off with jitter while another
   * process holds it; returns the stored state, or why the message was refused.
   */
  async #acquire(
    keys: UserKeys,
    token: string,
    admission: Admission | undefined,
  ): Promise<{ status: "taken"; stored: string | null } | { status: "duplicate" | "rate-limited" }> {
    const { rateLimitPerMinute, messageTtlSeconds = 600 } = this.#options;
    let waitedMs = 0;
    for (let attempt = 0; ; attempt++) {
      const admit = attempt === 0 ? admission : undefined;
      const scriptKeys = [keys.lock, keys.state];
      const args: Array<string | number> = [token, this.#leaseMs];
      if (admit !== undefined) {
        scriptKeys.push(admit.rate);
        args.push(rateLimitPerMinute, RATE_WINDOW_MS);
        if (admit.message !== undefined) {
          scriptKeys.push(admit.message);
          args.push(messageTtlSeconds);
        }
      }
      const reply = await this.#call(() => admitAndAcquire.run(this.#redis, scriptKeys, args)).catch(
        (error: unknown) => {
          // A timed-out script may still run on a server that was only slow: undo it on the same connection,
          // after it (replies keep their order), so the user is not locked out for a whole lease.
          const taken = lockAndClaim(keys, admit);
          void this.#call(() => abandon.run(this.#redis, taken, [token])).catch(() => undefined);
          throw error;
        },
      );
      if (!Array.isArray(reply)) throw new SessionStoreError("unexpected reply to the lock script");
      const code = Number(reply[0]);
      if (code === 1) return { status: "taken", stored: typeof reply[1] === "string" ? reply[1] : null };
      if (code === 2) return { status: "duplicate" };
      if (code === 3) return { status: "rate-limited" };
      if (waitedMs >= this.#waitMs) {
        const claim = admission?.message;
        if (claim !== undefined) {
          await this.#call(() => abandon.run(this.#redis, [claim], [token])).catch(() => undefined);
        }
        throw new SessionBusyError("lock-timeout");
      }
      // Full jitter on a capped exponential step: two processes waiting for one user do not retry in step.
      const stepMs = Math.min(4 * 2 ** attempt, 100);
      const delayMs = Math.min(this.#waitMs - waitedMs, stepMs / 2 + Math.random() * (stepMs / 2));
      await sleep(delayMs);
      waitedMs += delayMs;
    }
  }

  /** Renews the lease while a turn runs (an LLM call may outlast it); returns the stop function. */
  #keepLeased(keys: UserKeys, token: string): () => void {
    const timer = setInterval(() => {
      // A failed renewal needs no handling here: the fenced write-back detects the lost lock.
      renew.run(this.#redis, [keys.lock], [token, this.#leaseMs]).catch(() => undefined);
    }, this.#leaseMs / 3);
    timer.unref();
    return () => clearInterval(timer);
  }

  /** Runs one Redis operation, turning client failures into typed store errors. */
  async #call<T>(operation: () => Promise<T>): Promise<T> {
    await this.#firstConnection;
    try {
      return await operation();
    } catch (cause) {
      if (cause instanceof SessionStoreError) throw cause;
      // A ReplyError is Redis answering "no" (a bug or bad data); anything else means it could not answer.
      if (cause instanceof Error && cause.name === "ReplyError") {
        throw new SessionStoreError(`Redis refused the command: ${cause.message}`, { cause });
      }
      throw new StoreUnavailableError("Redis is unavailable", { cause });
    }
  }
}

/**
 * Resolves once the client is first ready, or has failed once, or after `waitMs`: operations issued right
 * after start-up wait for the handshake instead of failing, yet never wait long for a Redis that is down.
 */
function firstConnection(redis: Redis, waitMs: number): Promise<void> {
  if (redis.status === "ready") return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off("ready", done);
      redis.off("error", done);
      redis.off("end", done);
      resolve();
    };
    const timer = setTimeout(done, waitMs);
    timer.unref();
    redis.once("ready", done);
    redis.once("error", done);
    redis.once("end", done);
  });
}
