// The session store contract: per-user conversation state, message dedupe and rate limiting.

/** What a turn hands back: the new state (or `undefined` = leave as stored, `"delete"` = remove) and its result. */
export interface TurnOutcome<S, R> {
  state: S | undefined | "delete";
  result: R;
}

/** A turn of one user's conversation: receives the stored state (migrated to the current version). */
export type Turn<S, R> = (state: S | undefined) => Promise<TurnOutcome<S, R>>;

/**
 * Upgrades a state written by an older deploy. Called with the version it was stored under and the raw
 * stored value; returns the current-version state, or `undefined` to start the conversation afresh.
 */
export type MigrateState<S> = (fromVersion: number, old: unknown) => S | undefined;

/** The rate limit's window: a fixed minute opened by the user's first message in it. */
export const RATE_WINDOW_MS = 60_000;

/** What became of an inbound message: answered by its turn, or refused before the turn ran. */
export type MessageOutcome<R> =
  { status: "answered"; result: R } | { status: "duplicate" } | { status: "rate-limited" };

/** Settings shared by every implementation. */
export interface SessionStoreOptions<S> {
  /** The current state version; stored as `{ v, state }`. */
  version: number;
  migrate: MigrateState<S>;
  /** Lifetime of a conversation after its last written turn. */
  ttlSeconds: number;
  /** Messages a user may send per minute; `withMessage` refuses the ones beyond. */
  rateLimitPerMinute: number;
  /** How long a message id is remembered for dedupe (default 600 s: platforms redeliver within minutes). */
  messageTtlSeconds?: number;
}

/**
 * Per-user conversation state with serialised turns.
 *
 * Guarantees of every implementation:
 * - turns of one user run one at a time (also across processes sharing one Redis), so no update is lost;
 * - a turn that throws writes nothing back and its error propagates unchanged;
 * - stored state is migrated to the current version before the turn sees it;
 * - store failures surface as {@link SessionStoreError} subclasses, never as a hang.
 */
export interface SessionStore<S> {
  /**
   * Loads the user's state, runs `turn`, writes the new state back with the TTL, and returns the turn's result.
   * A state of `undefined` leaves the stored state (and its TTL) untouched; `"delete"` removes it.
   * @throws StoreUnavailableError when the store cannot be reached; SessionBusyError when another turn of
   *   the same user holds the conversation for too long; SessionStateError for a state it cannot read.
   */
  withSession<R>(userId: string, turn: Turn<S, R>): Promise<R>;
  /**
   * The store's whole part in answering one inbound message: refuses a redelivery of `messageKey` (a channel's
   * message id scoped by channel, e.g. `tg:<update_id>`; claims last `messageTtlSeconds`, across processes) and a
   * message over the user's per-minute limit, and otherwise runs `turn` exactly as {@link withSession} does. A
   * redelivery costs no rate budget. When the turn or its write-back fails, the claim on `messageKey` is withdrawn
   * (best effort), so the platform's redelivery is answered. Redis does the checks, the lock and the load in one
   * round trip, so a message costs two round trips in all.
   * @throws as {@link withSession}.
   */
  withMessage<R>(
    userId: string,
    messageKey: string | undefined,
    turn: Turn<S, R>,
  ): Promise<MessageOutcome<R>>;
  /**
   * Deletes everything kept about the user: state, rate-limit counter, turn lock. Safe inside the user's own
   * turn; that turn must then return `"delete"` or `undefined` (a write would fail with SessionBusyError).
   */
  forget(userId: string): Promise<void>;
  /** Resolves when the store answers (for health checks). */
  ping(): Promise<void>;
  /** Releases connections and timers. */
  close(): Promise<void>;
}

/** Base class of every failure that comes from the store rather than from the turn. */
export class SessionStoreError extends Error {
  override name = "SessionStoreError";
}

/** The store cannot be reached (connection down, timed out): tell the user "服务繁忙，请稍后再试". */
export class StoreUnavailableError extends SessionStoreError {
  override name = "StoreUnavailableError";
}

/**
 * The user's conversation stayed locked by another turn (`lock-timeout`) or this turn lost its lock before
 * writing (`lock-lost`: the process stalled past the lease, or the user was forgotten meanwhile). Nothing was
 * written. A subclass of StoreUnavailableError because the user-facing answer is the same: try again shortly.
 */
export class SessionBusyError extends StoreUnavailableError {
  override name = "SessionBusyError";
  constructor(
    readonly reason: "lock-timeout" | "lock-lost",
    options?: ErrorOptions,
  ) {
    super(
      reason === "lock-timeout"
        ? "conversation held by another turn for too long"
        : "turn lock lost before write-back; nothing saved",
      options,
    );
  }
}

/** The stored state cannot be read: corrupt, or written by a newer deploy than this one. */
export class SessionStateError extends SessionStoreError {
  override name = "SessionStateError";
}
