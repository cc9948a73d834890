// The contract every session store keeps, run against the in-memory store and the real Redis store.
import { setImmediate as yieldToLoop } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { MessageOutcome, SessionStore } from "../../src/sessions/session-store.ts";
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

/** Delivers message `messageId` with a turn that counts it in the state and answers [user, id, count]. */
function send(
  store: SessionStore<Counter>,
  userId: string,
  messageId: string,
): Promise<MessageOutcome<[string, string, number]>> {
  return store.withMessage(userId, messageId, (state) => {
    const count = (state?.count ?? 0) + 1;
    return Promise.resolve({ state: { userId, count }, result: [userId, messageId, count] });
  });
}

/** A turn that changes nothing and calls `onRun` when it runs. */
function countedTurn(onRun: () => void) {
  return () => {
    onRun();
    return Promise.resolve({ state: undefined, result: null });
  };
}

/** A gate a turn waits at: `running` resolves once the turn reports it started, `open` lets it finish. */
function openable() {
  let started: () => void = () => undefined;
  let open: () => void = () => undefined;
  const running = new Promise<void>((resolve) => (started = resolve));
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { running, started: () => started(), opened, open: () => open() };
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

  it(`answers a message once, also across two store instances, and gives every repeat the first result`, async () => {
    const other = harness.open(counterOptions());
    await expect(send(store, "u1", "tg:1")).resolves.toEqual({
      status: "answered",
      result: ["u1", "tg:1", 1],
    });
    await expect(send(store, "u1", "tg:1")).resolves.toEqual({
      status: "duplicate",
      result: ["u1", "tg:1", 1],
    });
    await expect(send(other, "u1", "tg:1")).resolves.toEqual({
      status: "duplicate",
      result: ["u1", "tg:1", 1],
    });
    await expect(send(other, "u1", "tg:2")).resolves.toEqual({
      status: "answered",
      result: ["u1", "tg:2", 2],
    });
    // The turn that ran recorded its message once: the repeats ran nothing.
    await expect(peek(store, "u1")).resolves.toEqual({ userId: "u1", count: 2 });

    // Both instances race for the same 200 redelivered messages: each is run exactly once, and the repeat (which
    // may have had to wait for the first delivery) gets that delivery's result.
    const keys = Array.from({ length: 200 }, (_, i) => `race:${i}`);
    const outcomes = await Promise.all(
      keys.flatMap((key, i) => [send(store, `racer-${i}`, key), send(other, `racer-${i}`, key)]),
    );
    for (let i = 0; i < keys.length; i++) {
      const pair = [outcomes[2 * i], outcomes[2 * i + 1]];
      expect(pair.map((o) => o?.status).sort()).toEqual(["answered", "duplicate"]);
      expect(pair.map((o) => (o && "result" in o ? o.result : undefined))).toEqual([
        [`racer-${i}`, `race:${i}`, 1],
        [`racer-${i}`, `race:${i}`, 1],
      ]);
    }
  });

  it(`scopes a message id to its user: two users with the same id are both answered`, async () => {
    await expect(send(store, "alice", "m-1")).resolves.toEqual({
      status: "answered",
      result: ["alice", "m-1", 1],
    });
    await expect(send(store, "bob", "m-1")).resolves.toEqual({
      status: "answered",
      result: ["bob", "m-1", 1],
    });
    await expect(send(store, "alice", "m-1")).resolves.toEqual({
      status: "duplicate",
      result: ["alice", "m-1", 1],
    });
    await expect(send(store, "bob", "m-1")).resolves.toEqual({
      status: "duplicate",
      result: ["bob", "m-1", 1],
    });
  });

  it(`records a message whose turn changes no state, with its result`, async () => {
    const noop = () => Promise.resolve({ state: undefined, result: { replies: [{ text: "好的" }] } });
    await expect(store.withMessage("u1", "tg:keep", noop)).resolves.toEqual({
      status: "answered",
      result: { replies: [{ text: "好的" }] },
    });
    let ran = false;
    const again = await store.withMessage("u1", "tg:keep", () => {
      ran = true;
      return noop();
    });
    expect(again).toEqual({ status: "duplicate", result: { replies: [{ text: "好的" }] } });
    expect(ran).toBe(false);
    await expect(peek(store, "u1")).resolves.toBeUndefined();
  });

  it.each([
    ["the same store instance", false],
    ["another store instance", true],
  ])(
    `makes a repeat from %s wait for the first delivery still in progress, then gives it its result`,
    async (_label, elsewhere) => {
      const waiting = elsewhere ? harness.open(counterOptions({ pendingWaitMs: 10_000 })) : store;
      const impatient = harness.open(counterOptions({ pendingWaitMs: 50 }));
      const gate = openable();
      let runs = 0;
      const first = store.withMessage("u1", "slow-1", async (state) => {
        runs++;
        gate.started();
        await gate.opened;
        return { state: { userId: "u1", count: (state?.count ?? 0) + 1 }, result: ["first run", runs] };
      });
      await gate.running;
      // Still running when the wait ends: pending, and nothing ran.
      await expect(
        impatient.withMessage(
          "u1",
          "slow-1",
          countedTurn(() => runs++),
        ),
      ).resolves.toEqual({
        status: "pending",
      });
      const repeat = waiting.withMessage(
        "u1",
        "slow-1",
        countedTurn(() => runs++),
      );
      await new Promise((resolve) => setTimeout(resolve, 100));
      gate.open();
      await expect(first).resolves.toEqual({ status: "answered", result: ["first run", 1] });
      await expect(repeat).resolves.toEqual({ status: "duplicate", result: ["first run", 1] });
      expect(runs).toBe(1);
      await expect(peek(store, "u1")).resolves.toEqual({ userId: "u1", count: 1 });
    },
  );

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
    await expect(peek(store, "u1")).resolves.toBeUndefined();
    await expect(send(store, "u1", "tg:5")).resolves.toEqual({
      status: "answered",
      result: ["u1", "tg:5", 1],
    });
    await expect(send(store, "u1", "tg:5")).resolves.toEqual({
      status: "duplicate",
      result: ["u1", "tg:5", 1],
    });
  });

  it(`records nothing for a message whose turn was overtaken by forget; its retry is processed`, async () => {
    const other = harness.open(counterOptions());
    await send(store, "u1", "before");
    const overtaken = store.withMessage("u1", "tg:overtaken", async (state) => {
      await other.forget("u1"); // e.g. /forget handled by another process while this turn runs
      return { state: { userId: "u1", count: (state?.count ?? 0) + 1 }, result: "stale" };
    });
    await expect(overtaken).rejects.toBeInstanceOf(SessionBusyError);
    await expect(peek(store, "u1")).resolves.toBeUndefined();
    await expect(send(store, "u1", "tg:overtaken")).resolves.toEqual({
      status: "answered",
      result: ["u1", "tg:overtaken", 1],
    });
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

  it(`does not record a message refused by the rate limit: its retry in the next window is processed`, async () => {
    for (const id of ["m1", "m2", "m3"]) await expect(deliver(store, "u1", id)).resolves.toBe("answered");
    let ran = 0;
    const refused = await store.withMessage(
      "u1",
      "m4",
      countedTurn(() => ran++),
    );
    expect(refused.status).toBe("rate-limited");
    const { retryAfterMs } = refused as { retryAfterMs: number };
    expect(retryAfterMs).toBeGreaterThan(0);
    expect(retryAfterMs).toBeLessThanOrEqual(60_000);
    // Refused again, not taken for a delivered duplicate.
    await expect(deliver(store, "u1", "m4")).resolves.toBe("rate-limited");
    expect(ran).toBe(0);

    await harness.endRateWindow("u1");
    await expect(send(store, "u1", "m4")).resolves.toEqual({ status: "answered", result: ["u1", "m4", 1] });
    // Repeats of delivered messages cost nothing: two more new messages fit in this window, a third does not.
    for (const id of ["m1", "m2", "m3", "m4"])
      await expect(deliver(store, "u1", id)).resolves.toBe("duplicate");
    await expect(deliver(store, "u1", "m5")).resolves.toBe("answered");
    await expect(deliver(store, "u1", "m6")).resolves.toBe("answered");
    await expect(deliver(store, "u1", "m7")).resolves.toBe("rate-limited");
  });

  it(`forgets in the turn of a /forget message: state, rate counter and other message records go, its own reply stays`, async () => {
    await send(store, "u1", "m1");
    await send(store, "u1", "m2");
    const forgetTurn = (onRun: () => void) => () => {
      onRun();
      return Promise.resolve({ state: "forget" as const, result: ["已删除"] });
    };
    let forgetRuns = 0;
    await expect(
      store.withMessage(
        "u1",
        "f1",
        forgetTurn(() => forgetRuns++),
      ),
    ).resolves.toEqual({
      status: "answered",
      result: ["已删除"],
    });
    await expect(peek(store, "u1")).resolves.toBeUndefined();
    expect(await harness.stateTtlMs("u1")).toBeUndefined();
    // The /forget message itself is idempotent: its resend gets its reply and deletes nothing more.
    await send(store, "u1", "m3");
    await expect(
      store.withMessage(
        "u1",
        "f1",
        forgetTurn(() => forgetRuns++),
      ),
    ).resolves.toEqual({
      status: "duplicate",
      result: ["已删除"],
    });
    expect(forgetRuns).toBe(1);
    await expect(peek(store, "u1")).resolves.toEqual({ userId: "u1", count: 1 });
    // The earlier messages' records (their replies can hold profile values) are gone: a resend runs again.
    await expect(send(store, "u1", "m1")).resolves.toEqual({ status: "answered", result: ["u1", "m1", 2] });
    // The rate counter started afresh at /forget: m3 and m1 counted, one more fits.
    await expect(deliver(store, "u1", "m9")).resolves.toBe("answered");
    await expect(deliver(store, "u1", "m10")).resolves.toBe("rate-limited");
  });

  it(`forget outside a turn deletes the message records too`, async () => {
    await send(store, "u1", "m1");
    await send(store, "u2", "m1");
    await store.forget("u1");
    await expect(send(store, "u1", "m1")).resolves.toEqual({ status: "answered", result: ["u1", "m1", 1] });
    await expect(send(store, "u2", "m1")).resolves.toEqual({ status: "duplicate", result: ["u2", "m1", 1] });
  });

  it(`keeps long message ids apart without storing them whole`, async () => {
    const long = "x".repeat(10_000);
    const almost = `${"x".repeat(9_999)}y`;
    await expect(send(store, "u1", long)).resolves.toMatchObject({ status: "answered" });
    await expect(send(store, "u1", almost)).resolves.toMatchObject({ status: "answered" });
    await expect(send(store, "u1", long)).resolves.toEqual({ status: "duplicate", result: ["u1", long, 1] });
    await expect(send(store, "u1", almost)).resolves.toEqual({
      status: "duplicate",
      result: ["u1", almost, 2],
    });
  });

  it(`a refused message runs no turn`, async () => {
    let ran = 0;
    const counted = countedTurn(() => ran++);
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
