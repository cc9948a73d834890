// The in-memory session store: the default when REDIS_URL is unset (one process, lost on restart).
import type { Clock } from "../shared/clock.ts";
import { MemoryBackend } from "./memory-backend.ts";
import type { MessageOutcome, SessionStore, SessionStoreOptions, Turn } from "./session-store.ts";
import { RATE_WINDOW_MS, SessionBusyError } from "./session-store.ts";
import { decodeState, encodeState } from "./state-envelope.ts";

/** Options of {@link MemorySessionStore}. */
export interface MemorySessionStoreOptions<S> extends SessionStoreOptions<S> {
  /** Source of time for TTLs and rate windows. */
  clock: Clock;
  /** Share one backend between instances (tests of cross-instance behaviour); a fresh one by default. */
  backend?: MemoryBackend;
}

/** Sessions in a Map, with the same contract as the Redis store; turns of one user chain on a promise. */
export class MemorySessionStore<S> implements SessionStore<S> {
  readonly #options: MemorySessionStoreOptions<S>;
  readonly #backend: MemoryBackend;

  constructor(options: MemorySessionStoreOptions<S>) {
    this.#options = options;
    this.#backend = options.backend ?? new MemoryBackend();
  }

  withSession<R>(userId: string, turn: Turn<S, R>): Promise<R> {
    const backend = this.#backend;
    return backend.turns.run(userId, async () => {
      const token = Symbol(userId);
      backend.locks.set(userId, token);
      try {
        const { version, migrate, ttlSeconds } = this.#options;
        const state = decodeState(backend.states.get(userId, this.#nowMs()), version, migrate);
        const outcome = await turn(state);
        if (outcome.state === "delete") backend.states.delete(userId);
        else if (outcome.state !== undefined) {
          if (backend.locks.get(userId) !== token) throw new SessionBusyError("lock-lost");
          const now = this.#nowMs();
          backend.states.set(userId, encodeState(version, outcome.state), now + ttlSeconds * 1000, now);
        }
        return outcome.result;
      } finally {
        if (backend.locks.get(userId) === token) backend.locks.delete(userId);
      }
    });
  }

  async withMessage<R>(
    userId: string,
    messageKey: string | undefined,
    turn: Turn<S, R>,
  ): Promise<MessageOutcome<R>> {
    const now = this.#nowMs();
    const deliveries = this.#backend.deliveries;
    const claim = Symbol(messageKey);
    if (messageKey !== undefined) {
      if (deliveries.get(messageKey, now) !== undefined) return { status: "duplicate" };
      deliveries.set(messageKey, claim, now + (this.#options.messageTtlSeconds ?? 600) * 1000, now);
    }
    if (!this.#countMessage(userId, now)) return { status: "rate-limited" };
    try {
      return { status: "answered", result: await this.withSession(userId, turn) };
    } catch (error) {
      // Withdraw only this message's own claim, so the redelivery is answered.
      if (messageKey !== undefined && deliveries.get(messageKey, this.#nowMs()) === claim) {
        deliveries.delete(messageKey);
      }
      throw error;
    }
  }

  /** Counts one message of the user; false once the per-minute limit is exceeded. */
  #countMessage(userId: string, now: number): boolean {
    const rates = this.#backend.rates;
    const count = (rates.get(userId, now) ?? 0) + 1;
    // Like the Redis counter: the window opens at the first message and its expiry is not pushed back.
    const expiresAt = count === 1 ? now + RATE_WINDOW_MS : now + rates.remainingMs(userId, now)!;
    rates.set(userId, count, expiresAt, now);
    return count <= this.#options.rateLimitPerMinute;
  }

  forget(userId: string): Promise<void> {
    const backend = this.#backend;
    backend.states.delete(userId);
    backend.rates.delete(userId);
    backend.locks.delete(userId);
    return Promise.resolve();
  }

  /** Milliseconds the user's state has left, or undefined when none is stored (for tests). */
  stateTtlMs(userId: string): Promise<number | undefined> {
    return Promise.resolve(this.#backend.states.remainingMs(userId, this.#nowMs()));
  }

  ping(): Promise<void> {
    return Promise.resolve();
  }

  close(): Promise<void> {
    return Promise.resolve();
  }

  #nowMs(): number {
    return this.#options.clock.now().getTime();
  }
}
