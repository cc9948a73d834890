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
    const store = makeStore(clock);
    await expect(store.firstDelivery("m", 10)).resolves.toBe(true);
    clock.advance(9_999);
    await expect(store.firstDelivery("m", 10)).resolves.toBe(false);
    clock.advance(1);
    await expect(store.firstDelivery("m", 10)).resolves.toBe(true);
  });

  it("opens a new rate window one minute after the first message of the last one", async () => {
    const clock = new ManualClock();
    const store = makeStore(clock);
    await expect(store.allow("u1")).resolves.toBe(true);
    clock.advance(30_000);
    await expect(store.allow("u1")).resolves.toBe(true);
    await expect(store.allow("u1")).resolves.toBe(false);
    clock.advance(29_999);
    await expect(store.allow("u1")).resolves.toBe(false);
    clock.advance(1);
    await expect(store.allow("u1")).resolves.toBe(true);
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
