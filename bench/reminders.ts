// Reminder fan-out bench: one deadline's reminder to 10,000 subscribed chats across two worker processes (real
// Redis and BullMQ) against a platform fake whose overall limit is raised to 1,000 msgs/s (one message per chat,
// so the per-chat limits hold trivially): duplicates, losses, elapsed time beside the minimum the limit allows;
// then the same with a worker SIGKILLed mid-fan-out (what it repeats, what is lost).
import { randomUUID } from "node:crypto";
import { pathToFileURL } from "node:url";
import { runFanOut, type FanOutResult } from "../test/reminders/support/fan-out.ts";

function figures(r: FanOutResult) {
  return {
    chats: r.chats,
    accepted: r.accepted,
    duplicates: r.duplicates,
    losses: r.losses,
    startupSeconds: Math.round(r.startupMs) / 1_000,
    elapsedSeconds: Math.round(r.elapsedMs) / 1_000,
    minimumSeconds: r.minimumMs / 1_000,
    elapsedOverMinimum: Math.round((r.elapsedMs / r.minimumMs) * 100) / 100,
    refusedByPlatformLimit: r.refusedOverLimit,
    ...(r.killedAt !== undefined
      ? { killedAfterAccepted: r.killedAt, repeatedAfterKill: r.repeatedAfterKill }
      : {}),
  };
}

export async function benchReminders(): Promise<Record<string, unknown>> {
  const fanOut = await runFanOut({
    prefix: `zc-bench-reminders:${randomUUID().slice(0, 8)}:`,
    chats: 10_000,
    workers: 2,
    overallPerSecond: 1_000,
    concurrency: 50,
    timeoutMs: 120_000,
  });
  const killed = await runFanOut({
    prefix: `zc-bench-reminders-kill:${randomUUID().slice(0, 8)}:`,
    chats: 2_000,
    workers: 2,
    overallPerSecond: 1_000,
    concurrency: 50,
    killAfter: 800,
    timeoutMs: 60_000,
  });
  return {
    fanOut: { workers: 2, concurrencyPerWorker: 50, overallLimitPerSecond: 1_000, ...figures(fanOut) },
    killMidFanOut: {
      workers: 2,
      concurrencyPerWorker: 50,
      overallLimitPerSecond: 1_000,
      note: "repeats are bounded by the killed worker's in-flight sends (its concurrency)",
      ...figures(killed),
    },
  };
}

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntry) process.stdout.write(`${JSON.stringify(await benchReminders(), null, 2)}\n`);
