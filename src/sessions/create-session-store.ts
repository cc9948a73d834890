// Picks the session store for this deployment: Redis when a URL is configured, memory otherwise.
import type { Clock } from "../shared/clock.ts";
import { systemClock } from "../shared/clock.ts";
import { createRedisClient } from "./create-redis-client.ts";
import { MemorySessionStore } from "./memory-session-store.ts";
import { RedisSessionStore } from "./redis-session-store.ts";
import type { SessionStore, SessionStoreOptions } from "./session-store.ts";

/** Options of {@link createSessionStore}. */
export interface CreateSessionStoreOptions<S> extends SessionStoreOptions<S> {
  /** `REDIS_URL`; unset selects the in-memory store (one process, lost on restart). */
  redisUrl?: string;
  /** Key prefix, one per deployment; default `zc:`. */
  prefix?: string;
  /** Time for the in-memory store's TTLs and rate windows (Redis keeps its own time). */
  clock?: Clock;
  /** Connection-level Redis errors, for logging (they repeat while Redis is down). */
  onRedisError?: (error: Error) => void;
}

/** The default key prefix. */
export const DEFAULT_SESSION_PREFIX = "zc:";

/**
 * Creates the store; never throws for an unreachable Redis (operations fail with StoreUnavailableError until it
 * returns). Call `close()` on shutdown.
 */
export function createSessionStore<S>(options: CreateSessionStoreOptions<S>): SessionStore<S> {
  const { redisUrl, prefix = DEFAULT_SESSION_PREFIX, clock = systemClock, onRedisError, ...common } = options;
  if (redisUrl === undefined) return new MemorySessionStore<S>({ ...common, clock });
  const redis = createRedisClient(redisUrl, onRedisError ? { onError: onRedisError } : {});
  return new RedisSessionStore<S>({ ...common, redis, prefix, ownsClient: true });
}
