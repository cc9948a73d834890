// The in-memory session store: the default when REDIS_URL is unset (one process, lost on restart).
import type { Clock } from "../shared/clock.ts";
import type { MessageRecord } from "./memory-backend.ts";
import { ExpiringMap, MemoryBackend } from "./memory-backend.ts";
import { waitWhilePending } from "./pending-wait.ts";
import { messageIdPart } from "./session-keys.ts";
import type {
  MessageOutcome,
  SessionStore,
  SessionStoreOptions,
  Turn,
  TurnOutcome,
} from "./session-store.ts";
import {
  DEFAULT_DEDUPE_TTL_SECONDS,
  DEFAULT_PENDING_WAIT_MS,
  RATE_WINDOW_MS,
  SessionBusyError,
  SessionStateError,
  SessionStoreError,
} from "./session-store.ts";
import { decodeState, encodeState } from "./state-envelope.ts";

/** Options of {@link MemorySessionStore}. */
export interface MemorySessionStoreOptions<S> extends SessionStoreOptions<S> {
  /** Source of time for TTLs and rate windows. */
  clock: Clock;
  /** Share one backend between instances (tests of cross-instance behaviour); a fresh one by default. */
  backend?: MemoryBackend;
}

/** The message a turn answers: its id part and the claim its attempt holds. */
interface Claim {
  idPart: string;
  token: symbol;
}

/**
 * Sessions in a Map, with the same contract as the Redis store; turns of one user chain on a promise. A message's
 * claim needs no lease here: it cannot outlive the process, which holds the data too.
 */
export class MemorySessionStore<S> implements SessionStore<S> {
  readonly #options: MemorySessionStoreOptions<S>;
  readonly #backend: MemoryBackend;

  constructor(options: MemorySessionStoreOptions<S>) {
    this.#options = options;
    this.#backend = options.backend ?? new MemoryBackend();
  }

  withSession<R>(userKey: string, turn: Turn<S, R>): Promise<R> {
    return this.#backend.turns.run(userKey, () => this.#lockedTurn(userKey, undefined, turn));
  }

  async withMessage<R>(
    userKey: string,
    messageId: string | undefined,
    turn: Turn<S, R>,
  ): Promise<MessageOutcome<R>> {
    if (messageId === undefined) {
      const limited = this.#countMessage(userKey, this.#nowMs());
      if (limited !== undefined) return limited;
      return { status: "answered", result: await this.withSession(userKey, turn) };
    }
    const idPart = messageIdPart(messageId);
    return waitWhilePending(this.#options.pendingWaitMs ?? DEFAULT_PENDING_WAIT_MS, () =>
      this.#attempt(userKey, idPart, turn),
    );
  }

  /** One delivery of a message with an id: its record decides, then the rate limit, then the turn. */
  async #attempt<R>(userKey: string, idPart: string, turn: Turn<S, R>): Promise<MessageOutcome<R>> {
    const now = this.#nowMs();
    const record = this.#backend.messages.get(userKey, now)?.get(idPart, now);
    if (record?.kind === "delivered") return { status: "duplicate", result: parseResult<R>(record.result) };
    if (record?.kind === "in-progress") return { status: "pending" };
    const limited = this.#countMessage(userKey, now);
    if (limited !== undefined) return limited;
    const claim: Claim = { idPart, token: Symbol(idPart) };
    this.#setRecord(userKey, idPart, { kind: "in-progress", token: claim.token }, now);
    try {
      const result = await this.#backend.turns.run(userKey, () => this.#lockedTurn(userKey, claim, turn));
      return { status: "answered", result };
    } catch (error) {
      // Withdraw only this attempt's own claim, so the retry is processed; a store failure gives its count back.
      const records = this.#backend.messages.get(userKey, this.#nowMs());
      const current = records?.get(idPart, this.#nowMs());
      if (current?.kind === "in-progress" && current.token === claim.token) {
        records?.delete(idPart);
        if (error instanceof SessionStoreError) this.#refund(userKey);
      }
      throw error;
    }
  }

  async #lockedTurn<R>(userKey: string, claim: Claim | undefined, turn: Turn<S, R>): Promise<R> {
    const backend = this.#backend;
    const token = Symbol(userKey);
    backend.locks.set(userKey, token);
    try {
      const { version, migrate } = this.#options;
      const outcome = await turn(decodeState(backend.states.get(userKey, this.#nowMs()), version, migrate));
      this.#commit(userKey, token, claim, outcome);
      return outcome.result;
    } finally {
      if (backend.locks.get(userKey) === token) backend.locks.delete(userKey);
    }
  }

  /** The state change, the message's record and its result, all or nothing (as the Redis commit script). */
  #commit<R>(userKey: string, token: symbol, claim: Claim | undefined, outcome: TurnOutcome<S, R>): void {
    const backend = this.#backend;
    const now = this.#nowMs();
    const { version, ttlSeconds } = this.#options;
    const result = claim === undefined ? "" : JSON.stringify(outcome.result ?? null);
    if (claim !== undefined) {
      const current = backend.messages.get(userKey, now)?.get(claim.idPart, now);
      if (current?.kind !== "in-progress" || current.token !== claim.token)
        throw new SessionBusyError("lock-lost");
    }
    const { state } = outcome;
    if (state === "delete") backend.states.delete(userKey);
    else if (state === "forget") this.#forgetNow(userKey);
    else if (state !== undefined) {
      if (backend.locks.get(userKey) !== token) throw new SessionBusyError("lock-lost");
      backend.states.set(userKey, encodeState(version, state), now + ttlSeconds * 1000, now);
    }
    if (claim !== undefined) this.#setRecord(userKey, claim.idPart, { kind: "delivered", result }, now);
  }

  /** Counts one message of the user; the refusal once the per-minute limit is exceeded. */
  #countMessage(userKey: string, now: number): { status: "rate-limited"; retryAfterMs: number } | undefined {
    const rates = this.#backend.rates;
    const count = (rates.get(userKey, now) ?? 0) + 1;
    // Like the Redis counter: the window opens at the first message and its expiry is not pushed back.
    const expiresAt = count === 1 ? now + RATE_WINDOW_MS : now + rates.remainingMs(userKey, now)!;
    rates.set(userKey, count, expiresAt, now);
    return count <= this.#options.rateLimitPerMinute
      ? undefined
      : { status: "rate-limited", retryAfterMs: expiresAt - now };
  }

  #refund(userKey: string): void {
    const now = this.#nowMs();
    const count = this.#backend.rates.get(userKey, now);
    const left = this.#backend.rates.remainingMs(userKey, now);
    if (count !== undefined && count > 0 && left !== undefined) {
      this.#backend.rates.set(userKey, count - 1, now + left, now);
    }
  }

  #setRecord(userKey: string, idPart: string, record: MessageRecord, now: number): void {
    const ttlMs = (this.#options.dedupeTtlSeconds ?? DEFAULT_DEDUPE_TTL_SECONDS) * 1000;
    const messages = this.#backend.messages;
    const records = messages.get(userKey, now) ?? new ExpiringMap<MessageRecord>();
    records.set(idPart, record, now + ttlMs, now);
    messages.set(
      userKey,
      records,
      Math.max(now + ttlMs, now + (messages.remainingMs(userKey, now) ?? 0)),
      now,
    );
  }

  /** State, rate counter, lock and delivered-message records (a record in progress belongs to a running turn). */
  #forgetNow(userKey: string): void {
    const backend = this.#backend;
    backend.states.delete(userKey);
    backend.rates.delete(userKey);
    backend.locks.delete(userKey);
    backend.messages.get(userKey, this.#nowMs())?.deleteWhere((record) => record.kind === "delivered");
  }

  forget(userKey: string): Promise<void> {
    this.#forgetNow(userKey);
    return Promise.resolve();
  }

  userIdSecret(): Promise<string> {
    return Promise.resolve(this.#backend.userIdSecret);
  }

  /** Milliseconds the user's state has left, or undefined when none is stored (for tests). */
  stateTtlMs(userKey: string): Promise<number | undefined> {
    return Promise.resolve(this.#backend.states.remainingMs(userKey, this.#nowMs()));
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

function parseResult<R>(stored: string): R {
  try {
    return JSON.parse(stored) as R;
  } catch (cause) {
    throw new SessionStateError("a delivered message's recorded result is not JSON", { cause });
  }
}
