// Redis-only behaviour: key layout, crashed lock holders, and two OS processes sharing one Redis.
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisClient } from "../../src/sessions/create-redis-client.ts";
import { RedisSessionStore } from "../../src/sessions/redis-session-store.ts";
import { userKeys } from "../../src/sessions/session-keys.ts";
import { SessionBusyError } from "../../src/sessions/session-store.ts";
import type { SessionStore } from "../../src/sessions/session-store.ts";
import { deleteKeysUnder, keysUnder, TEST_REDIS_URL, uniquePrefix } from "./support/redis-test-prefix.ts";
import { spawnWorker } from "./support/spawn-worker.ts";

interface Counter {
  userId: string;
  count: number;
}

const prefix = uniquePrefix("redis");
let admin: Redis;
const stores: SessionStore<unknown>[] = [];

function openStore(lock: { lockWaitMs?: number; lockLeaseMs?: number } = {}): RedisSessionStore<Counter> {
  const store = new RedisSessionStore<Counter>({
    redis: createRedisClient(TEST_REDIS_URL),
    prefix,
    ownsClient: true,
    version: 3,
    migrate: () => undefined,
    ttlSeconds: 600,
    rateLimitPerMinute: 5,
    ...lock,
  });
  stores.push(store);
  return store;
}

beforeAll(() => {
  admin = new Redis(TEST_REDIS_URL);
});
afterAll(async () => {
  await Promise.all(stores.map((store) => store.close()));
  await deleteKeysUnder(admin, prefix);
  await admin.quit();
});

describe("redis session store", () => {
  it("keeps the documented key layout, and forget leaves no key of the user", async () => {
    const store = openStore();
    const userId = "tg:{42}";
    await store.withMessage(userId, "tg:7", () =>
      Promise.resolve({ state: { userId, count: 1 }, result: null }),
    );
    const keys = userKeys(prefix, userId);
    expect(keys.state).toBe(`${prefix}{u:tg:%7B42%7D}:state`);
    expect(JSON.parse((await admin.get(keys.state)) ?? "null")).toEqual({
      v: 3,
      state: { userId, count: 1 },
    });
    expect(await admin.pttl(keys.rate)).toBeGreaterThan(0);
    expect(await admin.pttl(keys.rate)).toBeLessThanOrEqual(60_000);
    expect(await admin.exists(keys.lock)).toBe(0); // released after the turn
    // The dedupe claim names the message, not the user, and outlives forget only until it expires.
    expect(await admin.ttl(`${prefix}msg:tg:7`)).toBeGreaterThan(0);

    await store.forget(userId);
    const left = await keysUnder(admin, `${prefix}{u:tg:%7B42%7D}`);
    expect(left).toEqual([]);
  });

  it("waits out a lock left behind by a crashed process", async () => {
    const store = openStore();
    await admin.set(userKeys(prefix, "crashed").lock, "dead-process-token", "PX", 300);
    await expect(
      store.withSession("crashed", () => Promise.resolve({ state: undefined, result: "ran" })),
    ).resolves.toBe("ran");
  });

  it("gives up with SessionBusyError when the conversation stays locked past the wait bound", async () => {
    const store = openStore({ lockWaitMs: 50 });
    await admin.set(userKeys(prefix, "stuck").lock, "other-token", "PX", 60_000);
    let ran = false;
    const turn = store.withSession("stuck", () => {
      ran = true;
      return Promise.resolve({ state: undefined, result: null });
    });
    await expect(turn).rejects.toMatchObject({ name: "SessionBusyError", reason: "lock-timeout" });
    await expect(turn).rejects.toBeInstanceOf(SessionBusyError);
    expect(ran).toBe(false);
  });

  it("admits a message once while it waits for a lock held elsewhere: no self-duplicate, one rate count", async () => {
    const store = openStore();
    const keys = userKeys(prefix, "waiting");
    await admin.set(keys.lock, "other-process-token", "PX", 150);
    const outcome = await store.withMessage("waiting", "tg:waiting-1", () =>
      Promise.resolve({ state: undefined, result: "ran" }),
    );
    expect(outcome).toEqual({ status: "answered", result: "ran" });
    expect(await admin.get(keys.rate)).toBe("1");
  });

  it("withdraws a message's claim when its lock wait times out, so the redelivery is answered", async () => {
    const store = openStore({ lockWaitMs: 50 });
    const keys = userKeys(prefix, "claim-stuck");
    await admin.set(keys.lock, "other-token", "PX", 60_000);
    const noop = () => Promise.resolve({ state: undefined, result: null });
    await expect(store.withMessage("claim-stuck", "tg:stuck-1", noop)).rejects.toBeInstanceOf(
      SessionBusyError,
    );
    expect(await admin.exists(`${prefix}msg:tg:stuck-1`)).toBe(0);
    await admin.del(keys.lock);
    await expect(store.withMessage("claim-stuck", "tg:stuck-1", noop)).resolves.toEqual({
      status: "answered",
      result: null,
    });
  });

  it("keeps the lock of a turn that outlasts its lease, so a second process waits for it", async () => {
    const slow = openStore({ lockLeaseMs: 200 });
    const other = openStore();
    let started: () => void = () => undefined;
    const slowTurnStarted = new Promise<void>((resolve) => (started = resolve));
    const order: string[] = [];
    const slowTurn = slow.withSession("slow", async (state) => {
      started();
      await sleep(1_000); // five leases: only renewal keeps the lock
      order.push("slow");
      return { state: { userId: "slow", count: (state?.count ?? 0) + 1 }, result: null };
    });
    await slowTurnStarted;
    const fastTurn = other.withSession("slow", (state) => {
      order.push("fast");
      return Promise.resolve({ state: { userId: "slow", count: (state?.count ?? 0) + 1 }, result: null });
    });
    await Promise.all([slowTurn, fastTurn]);
    expect(order).toEqual(["slow", "fast"]);
    const stored = JSON.parse((await admin.get(userKeys(prefix, "slow").state)) ?? "null") as {
      state: Counter;
    };
    expect(stored.state.count).toBe(2);
  });

  it("answers each message once across two OS processes", async () => {
    const dedupePrefix = `${prefix}dedupe:`;
    const workers = [0, 1].map(() => spawnWorker("dedupe-worker.ts", [TEST_REDIS_URL, dedupePrefix, "500"]));
    await Promise.all(workers.map((w) => w.ready));
    workers.forEach((w) => w.go());
    const [a, b] = (await Promise.all(workers.map((w) => w.result))) as { won: number[] }[];
    const all = [...(a?.won ?? []), ...(b?.won ?? [])].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 500 }, (_, i) => i));
  });

  it("loses no update with two OS processes: 1,000 users × (10 + 10) concurrent turns", async () => {
    const countPrefix = `${prefix}count:`;
    const workers = [0, 1].map(() =>
      spawnWorker("increment-worker.ts", [TEST_REDIS_URL, countPrefix, "1000", "10"]),
    );
    await Promise.all(workers.map((w) => w.ready));
    workers.forEach((w) => w.go());
    expect(await Promise.all(workers.map((w) => w.result))).toEqual([{ turns: 10_000 }, { turns: 10_000 }]);

    const stateKeys = Array.from({ length: 1000 }, (_, u) => userKeys(countPrefix, `user-${u}`).state);
    const stored = await admin.mget(...stateKeys);
    const wrong = stored
      .map((json, u) => ({ u, envelope: JSON.parse(json ?? "null") as { state: Counter } | null }))
      .filter(({ u, envelope }) => envelope?.state.userId !== `user-${u}` || envelope.state.count !== 20);
    expect(wrong).toEqual([]);
  });
});
