// Picks the session store for this deployment: Redis (one server, Sentinel or Cluster) when configured, memory
// otherwise.
import type { Clock } from "../shared/clock.ts";
import { systemClock } from "../shared/clock.ts";
import { createRedisClient } from "./create-redis-client.ts";
import { MemorySessionStore } from "./memory-session-store.ts";
import { RedisSessionStore } from "./redis-session-store.ts";
import { chooseRedisTopology } from "./redis-topology.ts";
import type { RedisSettings } from "./redis-topology.ts";
import type { SessionStore, SessionStoreOptions } from "./session-store.ts";

/**
 * Options of {@link createSessionStore}. The Redis settings (`redisClusterNodes`, else `redisSentinels` with
 * `redisSentinelName`, else `redisUrl`) select Redis; none selects the in-memory store (one process, lost on
 * restart).
 */
export interface CreateSessionStoreOptions<S> extends SessionStoreOptions<S>, RedisSettings {
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
  const {
    redisUrl,
    redisSentinels,
    redisSentinelName,
    redisClusterNodes,
    prefix = DEFAULT_SESSION_PREFIX,
    clock = systemClock,
    onRedisError,
    ...common
  } = options;
  const topology = chooseRedisTopology({ redisUrl, redisSentinels, redisSentinelName, redisClusterNodes });
  if (topology === undefined) return new MemorySessionStore<S>({ ...common, clock });
  const redis = createRedisClient(topology, onRedisError ? { onError: onRedisError } : {});
  return new RedisSessionStore<S>({ ...common, redis, prefix, ownsClient: true });
}
