// Operations issued while a client makes its very first connection wait for it, briefly.
import type { Cluster, Redis } from "ioredis";

/**
 * Resolves once the client is first ready, or has failed once, or after `waitMs`: operations issued right
 * after start-up wait for the handshake instead of failing, yet never wait long for a Redis that is down.
 */
export function firstConnection(redis: Redis | Cluster, waitMs: number): Promise<void> {
  if (redis.status === "ready") return Promise.resolve();
  return new Promise((resolve) => {
    const done = () => {
      clearTimeout(timer);
      redis.off("ready", done);
      redis.off("error", done);
      redis.off("end", done);
      resolve();
    };
    const timer = setTimeout(done, waitMs);
    timer.unref();
    redis.once("ready", done);
    redis.once("error", done);
    redis.once("end", done);
  });
}
