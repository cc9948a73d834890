// An ioredis connection tuned to fail fast while Redis is away and to reconnect on its own.
import { Redis } from "ioredis";

/** Options of {@link createRedisClient}. */
export interface RedisClientOptions {
  /** Connection-level errors (refused, reset); they repeat while Redis is down, so throttle any logging. */
  onError?: (error: Error) => void;
  /** A command without a reply after this long fails (a hung server must not hang a user's turn). */
  commandTimeoutMs?: number;
}

/**
 * Connects to `url` (redis://host:port/db). Commands never queue while disconnected
 * (`enableOfflineQueue: false`) and are never re-sent after a connection drop (`maxRetriesPerRequest: 0`:
 * a re-sent write or INCR might apply twice), so the caller learns of an outage at once; reconnection
 * continues in the background with capped exponential backoff and jitter, forever.
 */
export function createRedisClient(url: string, options: RedisClientOptions = {}): Redis {
  const onError = options.onError ?? (() => undefined);
  const redis = new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.commandTimeoutMs ?? 5_000,
    connectTimeout: 3_000,
    // Many users' turns at once become few network writes.
    enableAutoPipelining: true,
    retryStrategy: (attempt) =>
      Math.min(50 * 2 ** Math.min(attempt, 6), 2_000) + Math.floor(Math.random() * 100),
  });
  // Without a listener an 'error' event would crash the process.
  redis.on("error", onError);
  return redis;
}
