// The Redis session store: state, turn locks, message records and rate counters shared by every process.
import { randomBytes, randomUUID } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import type { Cluster, Redis } from "ioredis";
import { KeyedQueue } from "./keyed-queue.ts";
import { loadScriptsOnReady } from "./lua-script.ts";
import { firstConnection } from "./first-connection.ts";
import { jsonCopy, settledWithin, waitWhilePending } from "./pending-wait.ts";
import { messageIdPart, userIdSecretKey, userKeys } from "./session-keys.ts";
import type { UserKeys } from "./session-keys.ts";
import {
  abandon,
  admitAndAcquire,
  commitAndRelease,
  forgetUser,
  renew,
  SESSION_SCRIPTS,
} from "./session-scripts.ts";
import type { MessageOutcome, SessionStore, SessionStoreOptions, Turn } from "./session-store.ts";
import {
  DEFAULT_DEDUPE_TTL_SECONDS,
  DEFAULT_PENDING_WAIT_MS,
  RATE_WINDOW_MS,
  SessionBusyError,
  SessionStateError,
  SessionStoreError,
  StoreUnavailableError,
} from "./session-store.ts";
import { decodeState, encodeState } from "./state-envelope.ts";

/** Replies of a server that is there but cannot serve now (failover, loading, busy script, cluster resharding). */
const TRANSIENT_REPLY = /^(READONLY|MASTERDOWN|LOADING|NOREPLICAS|BUSY|TRYAGAIN|CLUSTERDOWN)\b/;

/** What an inbound message's first attempt checks before taking the lock: its rate count and, with an id, its record. */
interface Admission {
  /** The message's record key and its id part (for the index), when it has an id. */
  record: { key: string; idPart: string } | undefined;
}

/** Options of {@link RedisSessionStore}. */
export interface RedisSessionStoreOptions<S> extends SessionStoreOptions<S> {
  /** A client from `createRedisClient` (fail-fast settings): one server or a Cluster. */
  redis: Redis | Cluster;
  /** Prefix of every key, one per deployment (e.g. `zc:`); tests use their own. */
  prefix: string;
  /** Quit the client on `close()`; false when the caller shares the client. */
  ownsClient?: boolean;
  /**
   * Lease of the turn lock and of a message's in-progress claim (default 10 s; at most 15 s, or a redelivery
   * waits that long for a dead process); renewed every third of it while the turn runs, so only a dead or
   * frozen process lets it lapse.
   */
  lockLeaseMs?: number;
  /** How long a turn waits (summed back-off) for another turn of the same user before SessionBusyError. */
  lockWaitMs?: number;
  /** How long operations wait for the very first connection before failing fast. */
  initialConnectWaitMs?: number;
}

type Outcome = MessageOutcome<unknown>;

/** The longest lease of a lock and a message's claim. */
const MAX_LEASE_MS = 15_000;

/**
 * Sessions in Redis.
 *
 * Serialisation: a per-user lock (`SET lock token NX PX lease`, renewed while the turn runs, released by
 * compare-and-delete, the write fenced on the token) rather than optimistic WATCH/MULTI, because WATCH is
 * per connection (it would need one connection per concurrent turn, where this shares one pipelined
 * connection) and because a conflict would re-run the turn, whose work (parsing, an LLM call) is neither
 * cheap nor free of effects. Within one process turns of a user also queue on a promise chain first, so
 * the lock is contended only between processes.
 *
 * Idempotency: a message's record is claimed (in progress, under the same lease as the lock) by the script that
 * takes the lock, and becomes "delivered" with the turn's result only in the script that commits the state, so a
 * message is committed at most once; a claim whose process died lapses and the redelivery runs it.
 */
export class RedisSessionStore<S> implements SessionStore<S> {
  readonly #options: RedisSessionStoreOptions<S>;
  readonly #redis: Redis | Cluster;
  readonly #local = new KeyedQueue();
  readonly #leaseMs: number;
  readonly #waitMs: number;
  readonly #firstConnection: Promise<void>;
  /** Attempts of messages running in this process, by record key: a repeat waits on it instead of queueing. */
  readonly #inFlight = new Map<string, Promise<Outcome>>();

  constructor(options: RedisSessionStoreOptions<S>) {
    this.#options = options;
    this.#redis = options.redis;
    this.#leaseMs = options.lockLeaseMs ?? 10_000;
    // A message whose process died waits out this lease before its redelivery runs it.
    if (this.#leaseMs > MAX_LEASE_MS) throw new RangeError(`lockLeaseMs must be at most ${MAX_LEASE_MS} ms`);
    this.#waitMs = options.lockWaitMs ?? 10_000;
    loadScriptsOnReady(options.redis, SESSION_SCRIPTS);
    this.#firstConnection = firstConnection(options.redis, options.initialConnectWaitMs ?? 3_000);
  }

  async withSession<R>(userKey: string, turn: Turn<S, R>): Promise<R> {
    const keys = userKeys(this.#options.prefix, userKey);
    const outcome = await this.#local.run(userKey, () => this.#lockedTurn(keys, undefined, turn));
    // Without a message there is nothing to refuse: every outcome is answered.
    return (outcome as { status: "answered"; result: R }).result;
  }

  withMessage<R>(
    userKey: string,
    messageId: string | undefined,
    turn: Turn<S, R>,
  ): Promise<MessageOutcome<R>> {
    const keys = userKeys(this.#options.prefix, userKey);
    if (messageId === undefined) {
      return this.#local.run(userKey, () => this.#lockedTurn(keys, { record: undefined }, turn));
    }
    const idPart = messageIdPart(messageId);
    const recordKey = keys.messagePrefix + idPart;
    const admission: Admission = { record: { key: recordKey, idPart } };
    const attempt = async (remainingMs: number): Promise<Outcome> => {
      // A repeat of a message this very process is running (a client retrying on the same server) waits for it
      // here: queued behind it on the user's promise chain it could wait for a whole slow turn.
      const first = this.#inFlight.get(recordKey);
      if (first !== undefined) {
        const seen = await settledWithin(first, remainingMs);
        if (seen === "timeout") return { status: "pending" };
        if (seen?.status === "answered" || seen?.status === "duplicate") {
          return { status: "duplicate", result: jsonCopy(seen.result) };
        }
        // It failed, was refused or is itself waiting on another process: this delivery tries for itself.
      }
      const running = this.#local.run(userKey, () => this.#lockedTurn(keys, admission, turn));
      this.#inFlight.set(recordKey, running);
      const done = () => {
        if (this.#inFlight.get(recordKey) === running) this.#inFlight.delete(recordKey);
      };
      running.then(done, done);
      return running;
    };
    return waitWhilePending(this.#options.pendingWaitMs ?? DEFAULT_PENDING_WAIT_MS, attempt) as Promise<
      MessageOutcome<R>
    >;
  }

  async forget(userKey: string): Promise<void> {
    const { lock, state, rate, messages, messagePrefix } = userKeys(this.#options.prefix, userKey);
    await this.#call(() => forgetUser.run(this.#redis, [lock, state, rate, messages], [messagePrefix]));
  }

  async userIdSecret(): Promise<string> {
    const key = userIdSecretKey(this.#options.prefix);
    // Whichever replica asks first creates it; every later ask, from any replica, reads that one.
    await this.#call(() => this.#redis.set(key, randomBytes(32).toString("base64url"), "NX"));
    const secret = await this.#call(() => this.#redis.get(key));
    if (secret === null) throw new SessionStoreError("the user-id secret vanished right after it was set");
    return secret;
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
    const { version, migrate, ttlSeconds, dedupeTtlSeconds = DEFAULT_DEDUPE_TTL_SECONDS } = this.#options;
    const token = randomUUID();
    const record = admission?.record;
    // From the admission on, the lock and the message's claim are kept leased together (the claim may have to wait
    // for the lock); the script renews only what this token holds.
    const stopRenewing = this.#keepLeased(keys, token, record?.key);
    try {
      const acquired = await this.#acquire(keys, token, admission);
      // A recorded result is the JSON of an earlier run of this same turn code: of type R.
      if (acquired.status !== "taken") return acquired as MessageOutcome<R>;
      let outcome: Awaited<ReturnType<Turn<S, R>>>;
      let result = "";
      try {
        outcome = await turn(decodeState(acquired.stored, version, migrate));
        if (record !== undefined) result = JSON.stringify(outcome.result ?? null);
      } catch (error) {
        // The turn failed: its message's retry runs it again, counted again (a failing turn still cost work).
        stopRenewing();
        await this.#giveUp(keys, token, record?.key, false);
        throw error;
      }
      stopRenewing();
      const { state } = outcome;
      const mode = state === undefined ? "keep" : typeof state === "string" ? state : "set";
      const value = mode === "set" ? encodeState(version, state) : "";
      const commitKeys = [keys.lock, keys.state, keys.rate, keys.messages];
      if (record !== undefined) commitKeys.push(record.key);
      const args = [
        token,
        mode,
        value,
        ttlSeconds,
        result,
        dedupeTtlSeconds,
        record?.idPart ?? "",
        keys.messagePrefix,
      ];
      const committed = await this.#call(() => commitAndRelease.run(this.#redis, commitKeys, args)).catch(
        (error: unknown) => {
          // Sent now, not awaited: on a hung server it queues behind the commit, which, if it ran after all, made
          // the message delivered, and then this withdraws nothing (the resend gets the recorded result).
          void this.#giveUp(keys, token, record?.key, true);
          throw error;
        },
      );
      if (Number(committed) !== 1) {
        await this.#giveUp(keys, token, record?.key, true);
        throw new SessionBusyError("lock-lost");
      }
      return { status: "answered", result: outcome.result };
    } finally {
      stopRenewing();
    }
  }

  /**
   * Admits the message (first attempt only), then takes the user's lock, backing off with jitter while another
   * process holds it; returns the stored state, or what became of the message instead.
   */
  async #acquire(
    keys: UserKeys,
    token: string,
    admission: Admission | undefined,
  ): Promise<{ status: "taken"; stored: string | null } | Exclude<Outcome, { status: "answered" }>> {
    const { rateLimitPerMinute } = this.#options;
    const record = admission?.record?.key;
    const scriptKeys = [keys.lock, keys.state];
    if (admission !== undefined) scriptKeys.push(keys.rate);
    if (record !== undefined) scriptKeys.push(record);
    let waitedMs = 0;
    for (let attempt = 0; ; attempt++) {
      const phase = attempt === 0 && admission !== undefined ? "admit" : "lock";
      const args = [token, this.#leaseMs, phase, rateLimitPerMinute, RATE_WINDOW_MS];
      const reply = await this.#call(() => admitAndAcquire.run(this.#redis, scriptKeys, args)).catch(
        (error: unknown) => {
          // A timed-out script may still run on a server that was only slow: undo it on the same connection,
          // after it (replies keep their order), so the user is not locked out for a whole lease and the message's
          // retry is neither refused as in progress nor charged twice.
          void this.#giveUp(keys, token, record, true);
          throw error;
        },
      );
      if (!Array.isArray(reply)) throw new SessionStoreError("unexpected reply to the lock script");
      const code = Number(reply[0]);
      if (code === 1) return { status: "taken", stored: typeof reply[1] === "string" ? reply[1] : null };
      if (code === 2) return { status: "duplicate", result: parseResult(reply[1]) };
      if (code === 3) return { status: "rate-limited", retryAfterMs: Math.max(0, Number(reply[1])) };
      // In progress elsewhere, or this claim lapsed while waiting for the lock: wait for whoever holds it.
      if (code === 4 || code === 5) return { status: "pending" };
      if (waitedMs >= this.#waitMs) {
        await this.#giveUp(keys, token, record, true);
        throw new SessionBusyError("lock-timeout");
      }
      // Full jitter on a capped exponential step: two processes waiting for one user do not retry in step.
      const stepMs = Math.min(4 * 2 ** attempt, 100);
      const delayMs = Math.min(this.#waitMs - waitedMs, stepMs / 2 + Math.random() * (stepMs / 2));
      await sleep(delayMs);
      waitedMs += delayMs;
    }
  }

  /**
   * Releases whatever this token still holds (best effort: if Redis is away the leases lapse by themselves).
   * Written to the connection at once (no wait for the first connection), so it follows the command it undoes.
   */
  #giveUp(keys: UserKeys, token: string, record: string | undefined, refund: boolean): Promise<unknown> {
    const held = record === undefined ? [keys.lock] : [keys.lock, record, keys.rate];
    return abandon.run(this.#redis, held, [token, refund ? "1" : "0"]).catch(() => undefined);
  }

  /** Renews the leases while a turn waits and runs (an LLM call may outlast them); returns the stop function. */
  #keepLeased(keys: UserKeys, token: string, record: string | undefined): () => void {
    const leased = record === undefined ? [keys.lock] : [keys.lock, record];
    const timer = setInterval(() => {
      // A failed renewal needs no handling here: the fenced write-back detects the lost lock or claim.
      renew.run(this.#redis, leased, [token, this.#leaseMs]).catch(() => undefined);
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
      // A ReplyError is Redis answering "no" (a bug or bad data), except the answers of a server that cannot
      // serve right now (a demoted master, a failover, a loading or busy server): like no answer, try again later.
      // Anything else means it could not answer.
      if (cause instanceof Error && cause.name === "ReplyError" && !TRANSIENT_REPLY.test(cause.message)) {
        throw new SessionStoreError(`Redis refused the command: ${cause.message}`, { cause });
      }
      throw new StoreUnavailableError("Redis is unavailable", { cause });
    }
  }
}

/** A delivered message's recorded result. */
function parseResult(stored: unknown): unknown {
  try {
    return JSON.parse(String(stored)) as unknown;
  } catch (cause) {
    throw new SessionStateError("a delivered message's recorded result is not JSON", { cause });
  }
}
