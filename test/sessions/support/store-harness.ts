// One harness per implementation, so the same contract suite runs against memory and Redis.
import { Redis } from "ioredis";
import { createRedisClient } from "../../../src/sessions/create-redis-client.ts";
import { MemoryBackend } from "../../../src/sessions/memory-backend.ts";
import { MemorySessionStore } from "../../../src/sessions/memory-session-store.ts";
import { RedisSessionStore } from "../../../src/sessions/redis-session-store.ts";
import { userKeys } from "../../../src/sessions/session-keys.ts";
import type { SessionStore, SessionStoreOptions } from "../../../src/sessions/session-store.ts";
import { ManualClock } from "./manual-clock.ts";
import { deleteKeysUnder, TEST_REDIS_URL, uniquePrefix } from "./redis-test-prefix.ts";

/** Extra knobs a contract test may set. */
export interface OpenOptions<S> extends SessionStoreOptions<S> {
  lockWaitMs?: number;
}

/** A place where stores live; every store it opens sees the same data (like processes sharing one Redis). */
export interface StoreHarness {
  readonly name: string;
  /** Opens another store (a new connection, for Redis) over the shared data. */
  open<S>(options: OpenOptions<S>): SessionStore<S>;
  /** Milliseconds the user's stored state has left, undefined when none is stored. */
  stateTtlMs(userKey: string): Promise<number | undefined>;
  /** Ends the user's current rate window, as a minute passing would. */
  endRateWindow(userKey: string): Promise<void>;
  /** Closes every store opened and removes its data. */
  dispose(): Promise<void>;
}

/** Harness over one shared in-memory backend. */
export function memoryHarness(): StoreHarness {
  const backend = new MemoryBackend();
  const clock = new ManualClock();
  return {
    name: "memory",
    open: <S>(options: OpenOptions<S>) => new MemorySessionStore<S>({ ...options, clock, backend }),
    stateTtlMs: (userKey) => Promise.resolve(backend.states.remainingMs(userKey, clock.now().getTime())),
    endRateWindow(userKey) {
      backend.rates.delete(userKey);
      return Promise.resolve();
    },
    dispose: () => Promise.resolve(),
  };
}

/** Harness over the test Redis, under a prefix of its own. */
export function redisHarness(label: string): StoreHarness & { prefix: string; admin: Redis } {
  const prefix = uniquePrefix(label);
  const admin = new Redis(TEST_REDIS_URL);
  const opened: SessionStore<unknown>[] = [];
  return {
    name: "redis",
    prefix,
    admin,
    open<S>(options: OpenOptions<S>) {
      const redis = createRedisClient(TEST_REDIS_URL);
      const store = new RedisSessionStore<S>({ ...options, redis, prefix, ownsClient: true });
      opened.push(store);
      return store;
    },
    async stateTtlMs(userKey) {
      const ttl = await admin.pttl(userKeys(prefix, userKey).state);
      return ttl < 0 ? undefined : ttl;
    },
    async endRateWindow(userKey) {
      await admin.del(userKeys(prefix, userKey).rate);
    },
    async dispose() {
      await Promise.all(opened.map((store) => store.close()));
      await deleteKeysUnder(admin, prefix);
      await admin.quit();
    },
  };
}
