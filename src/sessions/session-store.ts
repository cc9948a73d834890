// The session store contract: per-user conversation state, idempotent message delivery and rate limiting.

/**
 * What a turn hands back: the new state and its result. `state` is the new state, `undefined` (leave the stored
 * state and its TTL as they are), `"delete"` (remove the state) or `"forget"` (remove everything kept about the
 * user: state, rate counter and the records of their delivered messages; what the turn answers is still recorded).
 */
export interface TurnOutcome<S, R> {
  state: S | undefined | "delete" | "forget";
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

/** Default lifetime of a delivered message's record (id and result): platforms redeliver within minutes. */
export const DEFAULT_DEDUPE_TTL_SECONDS = 600;

/** Default time a repeat of a message still in progress waits for the first delivery's result. */
export const DEFAULT_PENDING_WAIT_MS = 3_000;

/** Message ids longer than this are stored as their SHA-256 (the HTTP layer refuses them; the store does not trust it). */
export const MAX_MESSAGE_ID_LENGTH = 128;

/**
 * What became of an inbound message.
 * - `answered`: its turn ran now and committed; `result` is the turn's.
 * - `duplicate`: it was delivered before; `result` is the one that delivery committed (a JSON copy).
 * - `pending`: its first delivery is still running after the pending wait; nothing ran now.
 * - `rate-limited`: over the user's per-minute limit; nothing ran and nothing was recorded, so a retry is
 *   processed. `retryAfterMs` is what is left of the user's window.
 */
export type MessageOutcome<R> =
  | { status: "answered"; result: R }
  | { status: "duplicate"; result: R }
  | { status: "pending" }
  | { status: "rate-limited"; retryAfterMs: number };

/** Settings shared by every implementation. */
export interface SessionStoreOptions<S> {
  /** The current state version; stored as `{ v, state }`. */
  version: number;
  migrate: MigrateState<S>;
  /** Lifetime of a conversation after its last written turn. */
  ttlSeconds: number;
  /** Messages a user may send per minute; `withMessage` refuses the ones beyond. */
  rateLimitPerMinute: number;
  /** How long a delivered message's record (and result) is kept; default {@link DEFAULT_DEDUPE_TTL_SECONDS}. */
  dedupeTtlSeconds?: number;
  /** How long a repeat waits for a first delivery still in progress; default {@link DEFAULT_PENDING_WAIT_MS}. */
  pendingWaitMs?: number;
}

/**
 * Per-user conversation state with serialised turns, keyed by an opaque user key (the app layer's keyed hash of
 * the user id: the store never sees who the user is).
 *
 * Guarantees of every implementation:
 * - turns of one user run one at a time (also across processes sharing one Redis), so no update is lost;
 * - a turn that throws writes nothing back and its error propagates unchanged;
 * - stored state is migrated to the current version before the turn sees it;
 * - a message id is committed at most once per user: its record, its result and the state change are written
 *   together or not at all;
 * - store failures surface as {@link SessionStoreError} subclasses, never as a hang.
 */
export interface SessionStore<S> {
  /**
   * Loads the user's state, runs `turn`, writes the new state back with the TTL, and returns the turn's result.
   * @throws StoreUnavailableError when the store cannot be reached; SessionBusyError when another turn of
   *   the same user holds the conversation for too long; SessionStateError for a state it cannot read.
   */
  withSession<R>(userKey: string, turn: Turn<S, R>): Promise<R>;
  /**
   * The store's whole part in answering one inbound message, idempotently per (user, `messageId`):
   * - a message already delivered is not run again: its recorded result comes back as `duplicate`;
   * - a message whose first delivery is still in progress (its claim is held under a lease, renewed while the
   *   turn runs) is waited for, up to `pendingWaitMs`, then answered as `duplicate` or `pending`; a claim whose
   *   process died lapses with its lease, and the next delivery runs the message;
   * - otherwise the message is counted against the user's per-minute limit (`rate-limited` beyond it: not
   *   recorded, so its retry is processed) and `turn` runs as in {@link withSession}. Its state change, its
   *   record as delivered and its result (JSON) are committed in one atomic step; a turn or commit that fails
   *   records nothing, so the message's retry is processed (a store failure also gives back its rate count).
   * A delivered message spends no rate budget when redelivered. Without `messageId` nothing is recorded.
   * The common case costs two round trips to Redis.
   * @throws as {@link withSession}.
   */
  withMessage<R>(
    userKey: string,
    messageId: string | undefined,
    turn: Turn<S, R>,
  ): Promise<MessageOutcome<R>>;
  /**
   * Deletes everything kept about the user: state, rate-limit counter, turn lock and delivered-message records.
   * Safe inside the user's own turn; that turn must then return `"delete"`, `"forget"` or `undefined` (a write
   * would fail with SessionBusyError). Inside a message's turn prefer returning `"forget"`, which does the same
   * atomically with recording the message.
   */
  forget(userKey: string): Promise<void>;
  /**
   * A random secret shared by every process on this store, created on first use (with Redis: once, by whichever
   * replica asks first). The app layer keys user ids with it when no secret is configured.
   */
  userIdSecret(): Promise<string>;
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
 * The user's conversation stayed locked by another turn (`lock-timeout`) or this turn lost its lock or its
 * message's claim before writing (`lock-lost`: the process stalled past the lease, or the user was forgotten
 * meanwhile). Nothing was written. A subclass of StoreUnavailableError because the user-facing answer is the
 * same: try again shortly.
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
