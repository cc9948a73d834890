// Redis-only behaviour: key layout, leases of locks and message claims, crashed holders, script loading, round
// trips, and two OS processes sharing one Redis.
import { createHash } from "node:crypto";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisClient } from "../../src/sessions/create-redis-client.ts";
import { RedisSessionStore, type RedisSessionStoreOptions } from "../../src/sessions/redis-session-store.ts";
import { userIdSecretKey, userKeys } from "../../src/sessions/session-keys.ts";
import { SESSION_SCRIPTS } from "../../src/sessions/session-scripts.ts";
import { SessionBusyError } from "../../src/sessions/session-store.ts";
import type { SessionStore } from "../../src/sessions/session-store.ts";
import { deleteKeysUnder, keysUnder, TEST_REDIS_URL, uniquePrefix } from "./support/redis-test-prefix.ts";
import { spawnWorker } from "./support/spawn-worker.ts";
import { ThrowawayRedis } from "./support/throwaway-redis.ts";

interface Counter {
  userId: string;
  count: number;
}

const prefix = uniquePrefix("redis");
let admin: Redis;
const stores: SessionStore<unknown>[] = [];

type Knobs = Partial<Omit<RedisSessionStoreOptions<Counter>, "redis" | "prefix">>;

function openStore(
  knobs: Knobs = {},
  redis: Redis = createRedisClient(TEST_REDIS_URL),
): RedisSessionStore<Counter> {
  const store = new RedisSessionStore<Counter>({
    redis,
    prefix,
    ownsClient: true,
    version: 3,
    migrate: () => undefined,
    ttlSeconds: 600,
    rateLimitPerMinute: 5,
    ...knobs,
  });
  stores.push(store);
  return store;
}

/** A message turn that counts itself in the state and answers `[id, count]`. */
const counting = (userId: string, id: string) => (state: Counter | undefined) =>
  Promise.resolve({
    state: { userId, count: (state?.count ?? 0) + 1 },
    result: [id, (state?.count ?? 0) + 1],
  });

const ready = (redis: Redis) =>
  redis.status === "ready" ? Promise.resolve() : new Promise((resolve) => redis.once("ready", resolve));

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
    const userKey = "K{42}";
    await store.withMessage(userKey, "tg:7", counting(userKey, "tg:7"));
    const keys = userKeys(prefix, userKey);
    const tag = `${prefix}{u:K%7B42%7D}`;
    expect(keys.state).toBe(`${tag}:state`);
    expect(JSON.parse((await admin.get(keys.state)) ?? "null")).toEqual({
      v: 3,
      state: { userId: userKey, count: 1 },
    });
    expect(await admin.pttl(keys.rate)).toBeGreaterThan(0);
    expect(await admin.pttl(keys.rate)).toBeLessThanOrEqual(60_000);
    expect(await admin.exists(keys.lock)).toBe(0); // released after the turn
    // The delivered record holds the result and lives the dedupe TTL; the index lists it for forget.
    expect(await admin.get(`${tag}:msg:tg:7`)).toBe('d:["tg:7",1]');
    expect(await admin.ttl(`${tag}:msg:tg:7`)).toBeGreaterThan(590);
    expect(await admin.ttl(`${tag}:msg:tg:7`)).toBeLessThanOrEqual(600);
    expect(await admin.zrange(`${tag}:msgs`, "0", "-1")).toEqual(["tg:7"]);

    // A message id too long for a key is stored as its hash.
    const long = "长".repeat(129);
    await store.withMessage(userKey, long, counting(userKey, "long"));
    const records = (await keysUnder(admin, `${tag}:msg:`)).sort();
    expect(records).toEqual([`${tag}:msg:sha256:${sha256(long)}`, `${tag}:msg:tg:7`]);

    await store.forget(userKey);
    expect(await keysUnder(admin, tag)).toEqual([]);
  });

  it("creates the user-id secret once and gives every store the same one", async () => {
    const [a, b] = [openStore(), openStore()];
    const secrets = await Promise.all([a.userIdSecret(), b.userIdSecret(), a.userIdSecret()]);
    expect(new Set(secrets).size).toBe(1);
    expect(secrets[0]).toMatch(/^[\w-]{43}$/);
    expect(await admin.get(userIdSecretKey(prefix))).toBe(secrets[0]);
  });

  it("loads its scripts on every ready connection: two round trips per message, NOSCRIPT survived", async () => {
    // A private server: SCRIPT FLUSH must not disturb other suites sharing the test Redis.
    const server = await ThrowawayRedis.start();
    const redis = createRedisClient(server.url);
    const own = new Redis(server.url);
    const store = openStore({}, redis);
    try {
      await ready(redis);
      await store.ping();
      const shas = SESSION_SCRIPTS.map((script) => script.sha);
      expect(await own.script("EXISTS", ...shas)).toEqual(shas.map(() => 1));

      // Loaded before the first message: it costs two round trips, a repeat one.
      const sent: string[] = [];
      const send = redis.sendCommand.bind(redis);
      redis.sendCommand = (command, stream) => {
        sent.push(command.name);
        return send(command, stream);
      };
      await store.withMessage("trips", "tg:1", counting("trips", "tg:1"));
      expect(sent).toEqual(["evalsha", "evalsha"]);
      sent.length = 0;
      await expect(store.withMessage("trips", "tg:1", counting("trips", "tg:1"))).resolves.toMatchObject({
        status: "duplicate",
      });
      expect(sent).toEqual(["evalsha"]);

      // Forgotten by the server while this connection stays up: EVAL steps in.
      await own.script("FLUSH");
      await expect(
        store.withMessage("noscript", "tg:1", counting("noscript", "tg:1")),
      ).resolves.toMatchObject({
        status: "answered",
      });

      // A new connection (as after a restart) loads them again before the store sends anything on it.
      await own.script("FLUSH");
      const reconnected = new Promise((resolve) => redis.once("ready", resolve));
      await own.client("KILL", "ID", String(await redis.client("ID")));
      await reconnected;
      await store.ping();
      expect(await own.script("EXISTS", ...shas)).toEqual(shas.map(() => 1));
    } finally {
      own.disconnect();
      await store.close();
      await server.stop();
    }
  });

  it("waits out a lock left behind by a crashed process", async () => {
    const store = openStore();
    await admin.set(userKeys(prefix, "crashed").lock, "dead-process-token", "PX", 300);
    await expect(
      store.withSession("crashed", () => Promise.resolve({ state: undefined, result: "ran" })),
    ).resolves.toBe("ran");
  });

  it("runs a message whose first delivery's process died, once its claim's lease has lapsed", async () => {
    const impatient = openStore({ pendingWaitMs: 50 });
    const patient = openStore({ pendingWaitMs: 5_000 });
    const record = `${userKeys(prefix, "orphan").messagePrefix}tg:1`;
    await admin.set(record, "p:dead-process-token", "PX", 400);
    await expect(impatient.withMessage("orphan", "tg:1", counting("orphan", "tg:1"))).resolves.toEqual({
      status: "pending",
    });
    // A repeat that waits long enough takes the message over when the dead claim lapses.
    await expect(patient.withMessage("orphan", "tg:1", counting("orphan", "tg:1"))).resolves.toEqual({
      status: "answered",
      result: ["tg:1", 1],
    });
    await expect(impatient.withMessage("orphan", "tg:1", counting("orphan", "tg:1"))).resolves.toEqual({
      status: "duplicate",
      result: ["tg:1", 1],
    });
  });

  it("keeps a slow turn's claim leased, so a repeat waits for it instead of running it again", async () => {
    const slow = openStore({ lockLeaseMs: 200 });
    const other = openStore({ pendingWaitMs: 5_000 });
    let runs = 0;
    let started: () => void = () => undefined;
    const running = new Promise<void>((resolve) => (started = resolve));
    const first = slow.withMessage("slow-claim", "tg:1", async (state) => {
      runs++;
      started();
      await sleep(1_000); // five leases: only renewal keeps the claim
      return counting("slow-claim", "tg:1")(state);
    });
    await running;
    const repeat = other.withMessage("slow-claim", "tg:1", async (state) => {
      runs++;
      return counting("slow-claim", "tg:1")(state);
    });
    await expect(first).resolves.toEqual({ status: "answered", result: ["tg:1", 1] });
    await expect(repeat).resolves.toEqual({ status: "duplicate", result: ["tg:1", 1] });
    expect(runs).toBe(1);
  });

  it("writes nothing when the message's claim passed to another delivery during the turn", async () => {
    const store = openStore();
    const keys = userKeys(prefix, "claim-lost");
    const outcome = store.withMessage("claim-lost", "tg:1", async (state) => {
      // As if this process froze past the lease and a redelivery claimed the message elsewhere.
      await admin.set(`${keys.messagePrefix}tg:1`, "p:another-delivery", "PX", 10_000);
      return counting("claim-lost", "tg:1")(state);
    });
    await expect(outcome).rejects.toMatchObject({ name: "SessionBusyError", reason: "lock-lost" });
    expect(await admin.exists(keys.state)).toBe(0);
    expect(await admin.get(`${keys.messagePrefix}tg:1`)).toBe("p:another-delivery");
    expect(await admin.exists(keys.lock)).toBe(0);
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

  it("withdraws a message's claim and its rate count when its lock wait times out, so the retry is answered", async () => {
    const store = openStore({ lockWaitMs: 50 });
    const keys = userKeys(prefix, "claim-stuck");
    await admin.set(keys.lock, "other-token", "PX", 60_000);
    const noop = () => Promise.resolve({ state: undefined, result: null });
    // More refusals than the rate limit allows (5): none of them is charged.
    for (let i = 0; i < 7; i++) {
      await expect(store.withMessage("claim-stuck", "tg:stuck-1", noop)).rejects.toBeInstanceOf(
        SessionBusyError,
      );
    }
    expect(await admin.exists(`${keys.messagePrefix}tg:stuck-1`)).toBe(0);
    expect(await admin.get(keys.rate)).toBe("0");
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
    const [a, b] = (await Promise.all(workers.map((w) => w.result))) as {
      won: number[];
      repeats: number[];
    }[];
    const all = [...(a?.won ?? []), ...(b?.won ?? [])].sort((x, y) => x - y);
    expect(all).toEqual(Array.from({ length: 500 }, (_, i) => i));
    // The other process's delivery of each message got the winner's result, not a bare refusal.
    const repeats = [...(a?.repeats ?? []), ...(b?.repeats ?? [])].sort((x, y) => x - y);
    expect(repeats).toEqual(Array.from({ length: 500 }, (_, i) => i));
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

function sha256(text: string): string {
  return createHash("sha256").update(text).digest("hex");
}
