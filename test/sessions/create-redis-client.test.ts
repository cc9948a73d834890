// The client's own behaviour on a real Redis: commands issued together leave in one system call, and each
// still gets its own reply.
import type { Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import { createRedisClient } from "../../src/sessions/create-redis-client.ts";
import { TEST_REDIS_URL, uniquePrefix } from "./support/redis-test-prefix.ts";

let redis: Redis | undefined;
afterEach(async () => {
  await redis?.quit();
  redis = undefined;
});

describe("createRedisClient", () => {
  it("sends the commands of one event-loop callback in one write, each answered in order", async () => {
    redis = createRedisClient(TEST_REDIS_URL);
    // No offline queue: nothing may be sent before the connection is ready.
    await new Promise((resolve) => redis!.once("ready", resolve));
    const socket = (redis as unknown as { stream: Socket }).stream;
    const writev = socket._writev?.bind(socket);
    if (!writev) throw new Error("a net.Socket writes batches with _writev");
    const writes: number[] = [];
    socket._writev = (chunks, callback) => {
      writes.push(chunks.length);
      writev(chunks, callback);
    };
    const prefix = uniquePrefix("coalesce");
    const keys = Array.from({ length: 20 }, (_, i) => `${prefix}${i}`);
    const replies = await Promise.all(keys.map((key, i) => redis!.set(key, String(i), "EX", 60, "GET")));
    expect(replies).toEqual(keys.map(() => null));
    expect(writes).toEqual([20]);
    await expect(redis.mget(...keys)).resolves.toEqual(keys.map((_, i) => String(i)));
    await redis.del(...keys);
  });
});
