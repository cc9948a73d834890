// Reminder fan-out across two worker processes on real Redis and BullMQ: once; a worker killed mid-fan-out loses
// nothing and repeats at most the sends it had in flight.
import { describe, expect, it } from "vitest";
import { runFanOut } from "../reminders/support/fan-out.ts";

describe("reminder fan-out across worker processes", () => {
  it("sends one deadline's reminder to each of 400 chats exactly once with two workers", async () => {
    const r = await runFanOut({
      prefix: `zc-test:rem-fan:${process.pid}:`,
      chats: 400,
      workers: 2,
      overallPerSecond: 400,
      concurrency: 10,
      timeoutMs: 30_000,
    });
    expect(r.losses).toBe(0);
    expect(r.duplicates).toBe(0);
    expect(r.accepted).toBe(400);
  });

  it("loses nothing when a worker is killed mid-fan-out, and repeats at most its in-flight sends", async () => {
    const concurrency = 10;
    const r = await runFanOut({
      prefix: `zc-test:rem-kill:${process.pid}:`,
      chats: 400,
      workers: 2,
      overallPerSecond: 100,
      concurrency,
      killAfter: 120,
      timeoutMs: 40_000,
    });
    expect(r.killedAt).toBeGreaterThanOrEqual(120);
    expect(r.losses).toBe(0);
    // Only a send the killed worker had in flight (accepted, not yet recorded) may go again.
    expect(r.duplicates).toBeLessThanOrEqual(concurrency);
    expect(r.repeatedAfterKill).toBe(r.duplicates);
  });
});
