// The data behind in-memory session stores; shareable so two store instances behave like two processes on one Redis.
import { randomBytes } from "node:crypto";
import { KeyedQueue } from "./keyed-queue.ts";

interface Expiring<T> {
  value: T;
  expiresAtMs: number;
}

// Expired entries are dropped when read and, amortised, by a sweep every this many writes.
const SWEEP_EVERY_WRITES = 1_000;

/** A map whose entries expire at a given instant; time comes from the caller (the store's clock). */
export class ExpiringMap<T> {
  readonly #entries = new Map<string, Expiring<T>>();
  #writes = 0;

  get(key: string, nowMs: number): T | undefined {
    const entry = this.#entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAtMs <= nowMs) {
      this.#entries.delete(key);
      return undefined;
    }
    return entry.value;
  }

  /** Milliseconds left, or undefined when absent or expired. */
  remainingMs(key: string, nowMs: number): number | undefined {
    return this.get(key, nowMs) === undefined ? undefined : this.#entries.get(key)!.expiresAtMs - nowMs;
  }

  set(key: string, value: T, expiresAtMs: number, nowMs: number): void {
    this.#entries.set(key, { value, expiresAtMs });
    if (++this.#writes % SWEEP_EVERY_WRITES === 0) this.#sweep(nowMs);
  }

  delete(key: string): void {
    this.#entries.delete(key);
  }

  /** Deletes the live entries whose value `matches`. */
  deleteWhere(matches: (value: T) => boolean): void {
    for (const [key, entry] of this.#entries) if (matches(entry.value)) this.#entries.delete(key);
  }

  get size(): number {
    return this.#entries.size;
  }

  /** Every entry held, expired or not (for inspection: what would Redis hold). */
  *entries(): IterableIterator<[string, T]> {
    for (const [key, entry] of this.#entries) yield [key, entry.value];
  }

  #sweep(nowMs: number): void {
    for (const [key, entry] of this.#entries) if (entry.expiresAtMs <= nowMs) this.#entries.delete(key);
  }
}

/** Everything an in-memory store keeps; pass one instance to several stores to share it. */
export class MemoryBackend {
  /** Serialises turns per user across every store sharing this backend. */
  readonly turns = new KeyedQueue();
  /** userKey → JSON envelope `{ v, state }`, as Redis would hold it (a turn cannot mutate it in place). */
  readonly states = new ExpiringMap<string>();
  /** userKey → token of the running turn; `forget` removes it so that turn cannot write back. */
  readonly locks = new Map<string, symbol>();
  /** userKey → messages counted in the current window. */
  readonly rates = new ExpiringMap<number>();
  /** userKey → the user's message records by message id part (the map expires with its last record). */
  readonly messages = new ExpiringMap<ExpiringMap<MessageRecord>>();
  /** The random secret user ids are keyed with when none is configured: one per process, like the data. */
  readonly userIdSecret = randomBytes(32).toString("base64url");
}

/** A message's record: claimed by the attempt running it, then delivered with its result (JSON). */
export type MessageRecord = { kind: "in-progress"; token: symbol } | { kind: "delivered"; result: string };
