// Inbound messages recorded before the platform is acknowledged, worked off by any process (a Redis Stream).
import type { Cluster, Redis } from "ioredis";
import type { Clock } from "../shared/clock.ts";

/** One recorded message. */
export interface InboxEntry {
  id: string;
  body: string;
  /** When it was recorded (epoch ms). */
  recordedAt: number;
}

/**
 * A durable queue of inbound messages with at-least-once hand-out: an entry taken by a worker that dies before
 * `ack` is reclaimed by another after `minIdleMs`.
 */
export interface DurableInbox {
  /**
   * Records `body` unless `dedupeKey` was recorded in the last `dedupeTtlSeconds` (a platform's redelivery of an
   * unacknowledged message). Resolves once the entry is in the store; rejects when the store cannot be reached.
   * @returns false for a redelivery (nothing recorded).
   */
  record(dedupeKey: string, body: string): Promise<boolean>;
  /** Entries nobody has taken yet, now `consumer`'s; waits up to `blockMs` for one. */
  take(consumer: string, count: number, blockMs: number): Promise<InboxEntry[]>;
  /** Entries taken by a consumer that left them unacknowledged for `minIdleMs` (its process died), now ours. */
  reclaim(consumer: string, minIdleMs: number, count: number): Promise<InboxEntry[]>;
  /** Done with: removed for good. */
  ack(id: string): Promise<void>;
  close(): Promise<void>;
}

/** Settings of both implementations. */
export interface InboxOptions {
  /** How long a dedupe key is remembered (platforms redeliver an unacknowledged message within minutes). */
  dedupeTtlSeconds?: number;
  /** The stream is trimmed to about this many entries (acknowledged entries are deleted anyway). */
  maxEntries?: number;
}

const GROUP = "workers";

// SET NX and XADD in one step: a redelivery never becomes a second entry, and an entry always has its key.
const RECORD = `
if redis.call('SET', KEYS[2], '1', 'NX', 'EX', ARGV[2]) then
  redis.call('XADD', KEYS[1], 'MAXLEN', '~', ARGV[3], '*', 'body', ARGV[1])
  return 1
end
return 0`;

type RawEntry = [id: string, fields: string[] | null];

function toEntry([id, fields]: RawEntry): InboxEntry | undefined {
  if (!fields) return undefined; // deleted while pending
  const at = fields.indexOf("body");
  const body = at >= 0 ? fields[at + 1] : undefined;
  if (body === undefined) return undefined;
  return { id, body, recordedAt: Number(id.split("-")[0]) };
}

/**
 * The inbox `name` as a Redis Stream with one consumer group. Keys share a hash tag, so a Redis Cluster keeps
 * them in one slot. `blocking` is a connection of its own for XREADGROUP BLOCK (a blocked connection serves
 * nothing else); its command timeout must exceed the block time.
 */
export class RedisInbox implements DurableInbox {
  readonly #stream: string;
  readonly #seen: string;
  #groupReady: Promise<void> | undefined;

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly blocking: Redis | Cluster,
    prefix: string,
    name: string,
    private readonly options: InboxOptions = {},
  ) {
    this.#stream = `${prefix}{inbox:${name}}:stream`;
    this.#seen = `${prefix}{inbox:${name}}:seen:`;
  }

  async record(dedupeKey: string, body: string): Promise<boolean> {
    const recorded = await this.redis.eval(
      RECORD,
      2,
      this.#stream,
      `${this.#seen}${dedupeKey}`,
      body,
      String(this.options.dedupeTtlSeconds ?? 3_600),
      String(this.options.maxEntries ?? 100_000),
    );
    return recorded === 1;
  }

  async take(consumer: string, count: number, blockMs: number): Promise<InboxEntry[]> {
    await this.#ensureGroup();
    // The blocking connection is made on first use: give it the block time to connect (it queues nothing).
    await whenReady(this.blocking, blockMs);
    try {
      const reply = await this.blocking.xreadgroup(
        "GROUP",
        GROUP,
        consumer,
        "COUNT",
        count,
        "BLOCK",
        blockMs,
        "STREAMS",
        this.#stream,
        ">",
      );
      return (reply?.[0]?.[1] ?? []).flatMap((raw) => toEntry(raw) ?? []);
    } catch (err) {
      // The stream was deleted (expired or flushed): make the group again on the next call.
      if (err instanceof Error && err.message.startsWith("NOGROUP")) this.#groupReady = undefined;
      throw err;
    }
  }

  async reclaim(consumer: string, minIdleMs: number, count: number): Promise<InboxEntry[]> {
    await this.#ensureGroup();
    const reply = (await this.redis.xautoclaim(
      this.#stream,
      GROUP,
      consumer,
      minIdleMs,
      "0-0",
      "COUNT",
      count,
    )) as [string, RawEntry[], string[]?];
    return reply[1].flatMap((raw) => toEntry(raw) ?? []);
  }

  async ack(id: string): Promise<void> {
    await this.redis.multi().xack(this.#stream, GROUP, id).xdel(this.#stream, id).exec();
  }

  async close(): Promise<void> {
    // The connections belong to whoever made them (see createChannelPrimitives).
  }

  #ensureGroup(): Promise<void> {
    this.#groupReady ??= this.redis.xgroup("CREATE", this.#stream, GROUP, "0", "MKSTREAM").then(
      () => undefined,
      (err: unknown) => {
        if (err instanceof Error && err.message.startsWith("BUSYGROUP")) return;
        this.#groupReady = undefined;
        throw err;
      },
    );
    return this.#groupReady;
  }
}

interface MemoryEntry extends InboxEntry {
  consumer?: string;
  takenAt?: number;
}

/** The inbox of one process (no Redis configured): survives nothing, keeps the same hand-out rules. */
export class MemoryInbox implements DurableInbox {
  readonly #entries: MemoryEntry[] = [];
  readonly #seen = new Map<string, number>();
  #next = 0;
  #wake: (() => void) | undefined;

  constructor(
    private readonly clock: Clock,
    private readonly options: InboxOptions = {},
  ) {}

  record(dedupeKey: string, body: string): Promise<boolean> {
    const now = this.clock.now().getTime();
    if ((this.#seen.get(dedupeKey) ?? 0) > now) return Promise.resolve(false);
    for (const [key, until] of this.#seen) if (until <= now) this.#seen.delete(key);
    this.#seen.set(dedupeKey, now + (this.options.dedupeTtlSeconds ?? 3_600) * 1000);
    this.#entries.push({ id: `${now}-${this.#next++}`, body, recordedAt: now });
    this.#wake?.();
    return Promise.resolve(true);
  }

  async take(consumer: string, count: number, blockMs: number): Promise<InboxEntry[]> {
    let fresh = this.#fresh(count);
    if (fresh.length === 0 && blockMs > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, blockMs);
        this.#wake = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#wake = undefined;
      fresh = this.#fresh(count);
    }
    const now = this.clock.now().getTime();
    for (const e of fresh) Object.assign(e, { consumer, takenAt: now });
    return fresh.map(({ id, body, recordedAt }) => ({ id, body, recordedAt }));
  }

  reclaim(consumer: string, minIdleMs: number, count: number): Promise<InboxEntry[]> {
    const now = this.clock.now().getTime();
    const stale = this.#entries
      .filter((e) => e.takenAt !== undefined && now - e.takenAt >= minIdleMs)
      .slice(0, count);
    for (const e of stale) Object.assign(e, { consumer, takenAt: now });
    return Promise.resolve(stale.map(({ id, body, recordedAt }) => ({ id, body, recordedAt })));
  }

  ack(id: string): Promise<void> {
    const at = this.#entries.findIndex((e) => e.id === id);
    if (at >= 0) this.#entries.splice(at, 1);
    return Promise.resolve();
  }

  close(): Promise<void> {
    this.#wake?.();
    return Promise.resolve();
  }

  #fresh(count: number): MemoryEntry[] {
    return this.#entries.filter((e) => e.takenAt === undefined).slice(0, count);
  }
}

/** Resolves once `redis` is ready, or after `waitMs` (its commands then fail fast, as they would anyway). */
export function whenReady(redis: Redis | Cluster, waitMs: number): Promise<void> {
  if (redis.status === "ready") return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off("ready", done);
      resolve();
    };
    const timer = setTimeout(done, waitMs);
    redis.once("ready", done);
  });
}
