// A server that answers but cannot serve now (a demoted master during a failover) means "busy", not "broken".
import { Redis } from "ioredis";
import { afterAll, beforeAll, expect, it } from "vitest";
import { createRedisClient } from "../../src/sessions/create-redis-client.ts";
import { RedisSessionStore } from "../../src/sessions/redis-session-store.ts";
import { StoreUnavailableError } from "../../src/sessions/session-store.ts";
import { ThrowawayRedis } from "./support/throwaway-redis.ts";

let primary: ThrowawayRedis;
let replica: ThrowawayRedis;

beforeAll(async () => {
  [primary, replica] = await Promise.all([ThrowawayRedis.start(), ThrowawayRedis.start()]);
  const admin = new Redis(replica.url);
  await admin.replicaof("127.0.0.1", primary.port);
  admin.disconnect();
});
afterAll(async () => {
  await Promise.all([primary.stop(), replica.stop()]);
});

it("maps a READONLY reply (a replica, e.g. the old master after a failover) to StoreUnavailableError", async () => {
  const store = new RedisSessionStore<{ n: number }>({
    redis: createRedisClient(replica.url),
    prefix: "zc-readonly:",
    ownsClient: true,
    version: 1,
    migrate: () => undefined,
    ttlSeconds: 60,
    rateLimitPerMinute: 10,
  });
  try {
    const turn = () => store.withMessage("u1", "m1", () => Promise.resolve({ state: { n: 1 }, result: 1 }));
    const error: unknown = await turn().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(StoreUnavailableError);
    expect(String((error as Error).cause)).toMatch(/READONLY/);
  } finally {
    await store.close();
  }
});
