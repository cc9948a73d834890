// The contract every session store keeps, run against the in-memory store and the real Redis store.
import { setImmediate as yieldToLoop } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { SessionStore } from "../../src/sessions/session-store.ts";
import { SessionBusyError, SessionStateError } from "../../src/sessions/session-store.ts";
import type { OpenOptions, StoreHarness } from "./support/store-harness.ts";
import { memoryHarness, redisHarness } from "./support/store-harness.ts";

interface Counter {
  userId: string;
  count: number;
}

const TTL_SECONDS = 3600;

function counterOptions(overrides: Partial<OpenOptions<Counter>> = {}): OpenOptions<Counter> {
  return {
    version: 1,
    migrate: () => undefined,
    ttlSeconds: TTL_SECONDS,
    rateLimitPerMinute: 3,
    ...overrides,
  };
}

/** One turn that adds 1 (after yielding, so a missing serialisation would interleave read and write). */
function increment(store: SessionStore<Counter>, userId: string): Promise<number> {
  return store.withSession(userId, async (state) => {
    if (state !== undefined && state.userId !== userId)
      throw new Error(`crossed: ${state.userId} in ${userId}`);
    const count = (state?.count ?? 0) + 1;
    await yieldToLoop();
    return { state: { userId, count }, result: count };
  });
}

/** Delivers one message with a turn that changes nothing; resolves to what became of it. */
async function deliver(store: SessionStore<Counter>, userId: string, messageKey?: string): Promise<string> {
  const outcome = await store.withMessage(userId, messageKey, () =>
    Promise.resolve({ state: undefined, result: null }),
  );
  return outcome.status;
}

/** Reads the state without changing it. */
function peek<S>(store: SessionStore<S>, userId: string): Promise<S | undefined> {
  return store.withSession(userId, (state) => Promise.resolve({ state: undefined, result: state }));
}

describe.each([
  { name: "memory", make: memoryHarness },
  { name: "redis", make: () => redisHarness("contract") },
])("session store contract: $name", ({ make }) => {
  let harness: StoreHarness;
  let store: SessionStore<Counter>;

  beforeEach(() => {
    harness = make();
    store = harness.open(counterOptions());
  });
  afterEach(async () => {
    await harness.dispose();
  });

  it(`starts empty, keeps what a turn returns and gives it to the next turn`, async () => {
    await expect(peek(store, "u1")).resolves.toBeUndefined();
    await expect(increment(store, "u1")).resolves.toBe(1);
    await expect(increment(store, "u1")).resolves.toBe(2);
    await expect(peek(store, "u1")).resolves.toEqual({ userId: "u1", count: 2 });
    await expect(peek(store, "u2")).resolves.toBeUndefined();
  });

  it(`stores the state with the configured TTL`, async () => {
    expect(await harness.stateTtlMs("u1")).toBeUndefined();
    await increment(store, "u1");
    const ttl = await harness.stateTtlMs("u1");
    expect(ttl).toBeGreaterThan((TTL_SECONDS - 60) * 1000);
    expect(ttl).toBeLessThanOrEqual(TTL_SECONDS * 1000);
  });

  it(`leaves the state untouched for undefined and removes it for "delete"`, async () => {
    await increment(store, "u1");
    await expect(
      store.withSession("u1", () => Promise.resolve({ state: undefined, result: "kept" })),
    ).resolves.toBe("kept");
    await expect(peek(store, "u1")).resolves.toEqual({ userId: "u1", count: 1 });
    await store.withSession("u1", () => Promise.resolve({ state: "delete" as const, result: null }));
    await expect(peek(store, "u1")).resolves.toBeUndefined();
    expect(await harness.stateTtlMs("u1")).toBeUndefined();
  });

  it(`writes nothing back when the turn throws, and the error propagates unchanged`, async () => {
    await increment(store, "u1");
    const failure = new Error("turn failed");
    await expect(
      store.withSession("u1", (state) => {
        if (state) state.count = 99; // mutating the loaded object in place must not leak into the store
        return Promise.reject(failure);
      }),
    ).rejects.toBe(failure);
    await expect(peek(store, "u1")).resolves.toEqual({ userId: "u1", count: 1 });
    // The user is not left locked.
    await expect(increment(store, "u1")).resolves.toBe(2);
  });

  it(`migrates state written by an older version when a new version is deployed`, async () => {
    const v1 = harness.open<{ step: string }>({ ...counterOptions(), version: 1, migrate: () => undefined });
    await v1.withSession("u1", () => Promise.resolve({ state: { step: "askEducation" }, result: null }));
    await v1.withSession("u2", () => Promise.resolve({ state: { step: "obsolete" }, result: null }));

    const seen: number[] = [];
    const v2 = harness.open<{ stage: string; migrated: boolean }>({
      ...counterOptions(),
      version: 2,
      migrate(fromVersion, old) {
        seen.push(fromVersion);
        const step = (old as { step: string }).step;
        return step === "obsolete" ? undefined : { stage: step, migrated: true };
      },
    });
    await expect(peek(v2, "u1")).resolves.toEqual({ stage: "askEducation", migrated: true });
    await expect(peek(v2, "u2")).resolves.toBeUndefined();
    expect(seen).toEqual([1, 1]);

    // Once written back under v2 it is read as is; the v1 deploy refuses the newer shape instead of guessing.
    await v2.withSession("u1", (s) => Promise.resolve({ state: s, result: null }));
    await expect(peek(v2, "u1")).resolves.toEqual({ stage: "askEducation", migrated: true });
    expect(seen).toEqual([1, 1, 1]);
    await expect(peek(v1, "u1")).rejects.toBeInstanceOf(SessionStateError);
  });

  it(`forget deletes the state and the rate counter`, async () => {
    await increment(store, "u1");
    await increment(store, "u2");
    for (let i = 0; i < 3; i++) await deliver(store, "u1");
    await expect(deliver(store, "u1")).resolves.toBe("rate-limited");

    await store.forget("u1");
    await expect(peek(store, "u1")).resolves.toBeUndefined();
    expect(await harness.stateTtlMs("u1")).toBeUndefined();
    await expect(deliver(store, "u1")).resolves.toBe("answered");
    await expect(peek(store, "u2")).resolves.toEqual({ userId: "u2", count: 1 });
  });

  it(`forget inside the user's own turn works, and a turn overtaken by forget writes nothing`, async () => {
    await increment(store, "u1");
    await expect(
      store.withSession("u1", async () => {
        await store.forget("u1");
        return { state: "delete" as const, result: "forgotten" };
      }),
    ).resolves.toBe("forgotten");
    await expect(peek(store, "u1")).resolves.toBeUndefined();

    await increment(store, "u1");
    const other = harness.open(counterOptions());
    await expect(
      store.withSession("u1", async (state) => {
        await other.forget("u1"); // e.g. /forget handled by another process while this turn runs
        return { state: { userId: "u1", count: (state?.count ?? 0) + 1 }, result: null };
      }),
    ).rejects.toBeInstanceOf(SessionBusyError);
    await expect(peek(store, "u1")).resolves.toBeUndefined();
  });

  it(`answers a message once, also across two store instances`, async () => {
    const other = harness.open(counterOptions());
    await expect(deliver(store, "u1", "tg:1")).resolves.toBe("answered");
    await expect(deliver(store, "u1", "tg:1")).resolves.toBe("duplicate");
    await expect(deliver(other, "u1", "tg:1")).resolves.toBe("duplicate");
    await expect(deliver(other, "u1", "tg:2")).resolves.toBe("answered");

    // Both instances race for the same 200 redelivered messages: each is answered exactly once.
    const keys = Array.from({ length: 200 }, (_, i) => `race:${i}`);
    const outcomes = await Promise.all(
      keys.flatMap((key, i) => [deliver(store, `racer-${i}`, key), deliver(other, `racer-${i}`, key)]),
    );
    for (let i = 0; i < keys.length; i++) {
      expect([outcomes[2 * i], outcomes[2 * i + 1]].sort()).toEqual(["answered", "duplicate"]);
    }
  });

  it(`runs the message's turn with the stored state and keeps what it returns`, async () => {
    await increment(store, "u1");
    const outcome = await store.withMessage("u1", "tg:9", (state) =>
      Promise.resolve({ state: { userId: "u1", count: (state?.count ?? 0) + 10 }, result: state?.count }),
    );
    expect(outcome).toEqual({ status: "answered", result: 1 });
    await expect(peek(store, "u1")).resolves.toEqual({ userId: "u1", count: 11 });
  });

  it(`withdraws the claim of a message whose turn failed, so its redelivery is answered`, async () => {
    const failing = store.withMessage("u1", "tg:5", () => Promise.reject(new Error("dialog bug")));
    await expect(failing).rejects.toThrow("dialog bug");
    await expect(deliver(store, "u1", "tg:5")).resolves.toBe("answered");
    await expect(deliver(store, "u1", "tg:5")).resolves.toBe("duplicate");
  });

  it(`rate-limits each user separately; a redelivery spends no budget`, async () => {
    const statuses = [];
    statuses.push(await deliver(store, "u1", "m1"));
    for (let i = 0; i < 3; i++) statuses.push(await deliver(store, "u1", "m1"));
    for (let i = 0; i < 4; i++) statuses.push(await deliver(store, "u1"));
    expect(statuses).toEqual([
      "answered",
      "duplicate",
      "duplicate",
      "duplicate",
      "answered",
      "answered",
      "rate-limited",
      "rate-limited",
    ]);
    await expect(deliver(store, "u2")).resolves.toBe("answered");
  });

  it(`a refused message runs no turn`, async () => {
    let ran = 0;
    const counted = () => {
      ran++;
      return Promise.resolve({ state: undefined, result: null });
    };
    await store.withMessage("u1", "tg:1", counted);
    await store.withMessage("u1", "tg:1", counted);
    for (let i = 0; i < 5; i++) await store.withMessage("u1", undefined, counted);
    expect(ran).toBe(3);
  });

  it(`loses no update: 1,000 users × 10 concurrent turns over two instances`, async () => {
    const other = harness.open(counterOptions());
    const users = Array.from({ length: 1000 }, (_, i) => `user-${i}`);
    await Promise.all(
      users.flatMap((userId) =>
        Array.from({ length: 10 }, (_, k) => increment(k % 2 === 0 ? store : other, userId)),
      ),
    );
    const finals = await Promise.all(users.map((userId) => peek(store, userId)));
    const wrong = finals.filter(
      (state, i) => state === undefined || state.userId !== users[i] || state.count !== 10,
    );
    expect(wrong).toEqual([]);
  });
});
