// In-memory specifics that need a clock the test controls: expiry of sessions, dedupe marks and rate windows.
import { describe, expect, it } from "vitest";
import { createSessionStore } from "../../src/sessions/create-session-store.ts";
import { MemorySessionStore } from "../../src/sessions/memory-session-store.ts";
import { ManualClock } from "./support/manual-clock.ts";

function makeStore(clock: ManualClock): MemorySessionStore<{ n: number }> {
  return new MemorySessionStore<{ n: number }>({
    clock,
    version: 1,
    migrate: () => undefined,
    ttlSeconds: 60,
    rateLimitPerMinute: 2,
  });
}

const read = (store: MemorySessionStore<{ n: number }>, userId: string) =>
  store.withSession(userId, (state) => Promise.resolve({ state: undefined, result: state }));

/** Delivers one message with a turn that changes nothing; resolves to what became of it. */
const deliver = async (store: MemorySessionStore<{ n: number }>, userId: string, messageKey?: string) =>
  (await store.withMessage(userId, messageKey, () => Promise.resolve({ state: undefined, result: null })))
    .status;

describe("memory session store", () => {
  it("forgets a conversation once its TTL has passed since the last write", async () => {
    const clock = new ManualClock();
    const store = makeStore(clock);
    await store.withSession("u1", () => Promise.resolve({ state: { n: 1 }, result: null }));
    clock.advance(59_000);
    await expect(read(store, "u1")).resolves.toEqual({ n: 1 });
    await store.withSession("u1", () => Promise.resolve({ state: { n: 2 }, result: null })); // renews the TTL
    clock.advance(59_000);
    await expect(read(store, "u1")).resolves.toEqual({ n: 2 });
    expect(await store.stateTtlMs("u1")).toBe(1_000);
    clock.advance(1_000);
    await expect(read(store, "u1")).resolves.toBeUndefined();
  });

  it("lets a redelivery through once the dedupe mark has expired", async () => {
    const clock = new ManualClock();
    const store = new MemorySessionStore<{ n: number }>({
      clock,
      version: 1,
      migrate: () => undefined,
      ttlSeconds: 60,
      rateLimitPerMinute: 100,
      dedupeTtlSeconds: 10,
    });
    await expect(deliver(store, "u1", "m")).resolves.toBe("answered");
    clock.advance(9_999);
    await expect(deliver(store, "u1", "m")).resolves.toBe("duplicate");
    clock.advance(1);
    await expect(deliver(store, "u1", "m")).resolves.toBe("answered");
  });

  it("opens a new rate window one minute after the first message of the last one", async () => {
    const clock = new ManualClock();
    const store = makeStore(clock);
    await expect(deliver(store, "u1")).resolves.toBe("answered");
    clock.advance(30_000);
    await expect(deliver(store, "u1")).resolves.toBe("answered");
    await expect(deliver(store, "u1")).resolves.toBe("rate-limited");
    clock.advance(29_999);
    await expect(deliver(store, "u1")).resolves.toBe("rate-limited");
    clock.advance(1);
    await expect(deliver(store, "u1")).resolves.toBe("answered");
  });

  it("is what createSessionStore returns when no Redis URL is configured", () => {
    const store = createSessionStore({
      ttlSeconds: 60,
      version: 1,
      migrate: () => undefined,
      rateLimitPerMinute: 5,
    });
    expect(store).toBeInstanceOf(MemorySessionStore);
  });
});
