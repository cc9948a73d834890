// An ioredis connection tuned to fail fast while Redis is away and to reconnect on its own.
import type { Socket } from "node:net";
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
    // No auto-pipelining: ioredis keeps one auto-pipeline in flight at a time, so under load every command
    // waited for the whole previous batch; turns stayed in flight longer, their objects outlived young-generation
    // collections, and scavenges paused 8–15 ms (`npm run bench -- sessions`: p99 16–19 ms → 4–6 ms without).
    // Writes are still batched, per event-loop callback, by `coalesceWrites` below.
    enableAutoPipelining: false,
    retryStrategy: (attempt) =>
      Math.min(50 * 2 ** Math.min(attempt, 6), 2_000) + Math.floor(Math.random() * 100),
  });
  // Without a listener an 'error' event would crash the process.
  redis.on("error", onError);
  // Each connection (a reconnection brings a new socket) batches its writes.
  redis.on("connect", () => coalesceWrites((redis as unknown as { stream: Socket }).stream));
  return redis;
}

/**
 * Makes every command written to `socket` in one run of the event loop's callbacks go out in one system call:
 * the first write corks the socket and a process.nextTick — after the promise continuations of this callback,
 * which issue the next commands of many users' turns — uncorks it, so Node sends the lot with one writev.
 */
function coalesceWrites(socket: Socket): void {
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  socket.write = (...args: unknown[]) => {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(uncork);
    }
    return write(...args);
  };
}
