// Redis going away and coming back: operations fail fast with StoreUnavailableError, then recover.
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisClient } from "../../src/sessions/create-redis-client.ts";
import { createSessionStore } from "../../src/sessions/create-session-store.ts";
import { RedisSessionStore } from "../../src/sessions/redis-session-store.ts";
import type { SessionStore } from "../../src/sessions/session-store.ts";
import { SessionBusyError, StoreUnavailableError } from "../../src/sessions/session-store.ts";
import { ThrowawayRedis } from "./support/throwaway-redis.ts";

let redis: ThrowawayRedis;
let store: SessionStore<{ count: number }>;

beforeAll(async () => {
  redis = await ThrowawayRedis.start();
  store = createSessionStore<{ count: number }>({
    redisUrl: redis.url,
    prefix: "zc-outage:",
    ttlSeconds: 600,
    version: 1,
    migrate: () => undefined,
    rateLimitPerMinute: 10,
  });
});
afterAll(async () => {
  await store.close();
  await redis.stop();
});

function bump(): Promise<number> {
  return store.withSession("u1", (state) => {
    const count = (state?.count ?? 0) + 1;
    return Promise.resolve({ state: { count }, result: count });
  });
}

/** Delivers message `key` of u1 with a turn that changes nothing; resolves to what became of it. */
async function deliver(key: string): Promise<string> {
  const outcome = await store.withMessage("u1", key, () =>
    Promise.resolve({ state: undefined, result: null }),
  );
  return outcome.status;
}

/** Polls until Redis answers again (the client reconnects in the background; there is no event to await). */
async function untilRecovered(): Promise<void> {
  for (let attempt = 0; attempt < 300; attempt++) {
    try {
      await store.ping();
      return;
    } catch (error) {
      expect(error).toBeInstanceOf(StoreUnavailableError);
      await sleep(100);
    }
  }
  throw new Error("the store did not recover");
}

describe("redis outage", () => {
  it("fails every operation with StoreUnavailableError while Redis is down, then recovers", async () => {
    await expect(bump()).resolves.toBe(1);
    await expect(deliver("m1")).resolves.toBe("answered");

    await redis.stop();
    let turnRan = false;
    const attempts: Record<string, Promise<unknown>> = {
      withSession: store.withSession("u1", () => {
        turnRan = true;
        return Promise.resolve({ state: { count: 0 }, result: null });
      }),
      withMessage: deliver("m2"),
      forget: store.forget("u1"),
      ping: store.ping(),
    };
    // Every outcome is taken at once (none may reject unobserved); they settle while the server is still down.
    const errors = Object.entries(attempts).map(([operation, attempt]) =>
      attempt.then(
        () => new Error(`${operation} succeeded while Redis was down`),
        (e: unknown) => e,
      ),
    );
    for (const [i, operation] of Object.keys(attempts).entries()) {
      const error = await errors[i];
      expect(error, operation).toBeInstanceOf(StoreUnavailableError);
      expect(error, operation).not.toBeInstanceOf(SessionBusyError);
      expect((error as Error).cause, operation).toBeInstanceOf(Error);
    }
    expect(turnRan).toBe(false);

    await redis.start();
    await untilRecovered();
    // The throwaway server kept nothing, so the conversation starts again from scratch.
    await expect(bump()).resolves.toBe(1);
    await expect(bump()).resolves.toBe(2);
    await expect(deliver("m1")).resolves.toBe("answered");
  });

  it("rejects a turn in flight when Redis dies before its write-back", async () => {
    await untilRecovered();
    await expect(bump()).resolves.toBeGreaterThan(0);
    let started: () => void = () => undefined;
    const turnStarted = new Promise<void>((resolve) => (started = resolve));
    let letTurnFinish: () => void = () => undefined;
    const turnMayFinish = new Promise<void>((resolve) => (letTurnFinish = resolve));
    const outcome = store
      .withSession("u1", async (state) => {
        started();
        await turnMayFinish;
        return { state: { count: (state?.count ?? 0) + 100 }, result: null };
      })
      .then(
        () => new Error("the turn succeeded without Redis"),
        (error: unknown) => error,
      );
    await turnStarted;
    await redis.stop();
    letTurnFinish();
    expect(await outcome).toBeInstanceOf(StoreUnavailableError);

    await redis.start();
    await untilRecovered();
    await expect(bump()).resolves.toBe(1);
  });
});

describe("redis down at start-up", () => {
  it("creates the store anyway, fails fast, and serves once Redis starts", async () => {
    const late = await ThrowawayRedis.start();
    await late.stop();
    const early = createSessionStore<{ count: number }>({
      redisUrl: late.url,
      prefix: "zc-outage:",
      ttlSeconds: 600,
      version: 1,
      migrate: () => undefined,
      rateLimitPerMinute: 10,
    });
    try {
      const ping = () =>
        early.withMessage("u1", undefined, () => Promise.resolve({ state: undefined, result: null }));
      await expect(ping()).rejects.toBeInstanceOf(StoreUnavailableError);
      await late.start();
      for (let attempt = 0; ; attempt++) {
        const answer = await ping().then(
          (outcome) => outcome.status,
          (error: unknown) => error,
        );
        if (answer === "answered") break;
        expect(answer).toBeInstanceOf(StoreUnavailableError);
        expect(attempt).toBeLessThan(300);
        await sleep(100);
      }
    } finally {
      await early.close();
      await late.stop();
    }
  });
});

describe("redis hung (process frozen, connection open)", () => {
  it("fails a message with StoreUnavailableError after the command timeout, runs no turn, and recovers at once", async () => {
    const hung = await ThrowawayRedis.start();
    const frozen = new RedisSessionStore<{ count: number }>({
      redis: createRedisClient(hung.url, { commandTimeoutMs: 300 }),
      prefix: "zc-hung:",
      ownsClient: true,
      ttlSeconds: 600,
      version: 1,
      migrate: () => undefined,
      rateLimitPerMinute: 10,
      // Far below the 10 s lease: the script that timed out must not leave the user locked out.
      lockWaitMs: 1_000,
    });
    let turns = 0;
    const bumpFrozen = () =>
      frozen.withMessage("u1", undefined, (state) => {
        turns++;
        return Promise.resolve({ state: { count: (state?.count ?? 0) + 1 }, result: null });
      });
    try {
      await expect(bumpFrozen()).resolves.toMatchObject({ status: "answered" });
      hung.pause();
      const outcome = await bumpFrozen().then(
        () => new Error("a turn was answered by a frozen server"),
        (error: unknown) => error,
      );
      expect(outcome).toBeInstanceOf(StoreUnavailableError);
      expect(turns).toBe(1);
      hung.resume();
      await expect(bumpFrozen()).resolves.toMatchObject({ status: "answered" });
      expect(turns).toBe(2);
    } finally {
      hung.resume();
      await frozen.close();
      await hung.stop();
    }
  });
});
