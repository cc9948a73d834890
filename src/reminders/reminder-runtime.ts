// The reminders' parts from the configuration: stores in Redis (or memory), and the scheduler and senders running
// on BullMQ (or on a timer in memory without Redis). Used by `serve`, `worker` and `reminders`.
import { whenReady } from "../app/durable-inbox.ts";
import { createRedisClient } from "../sessions/create-redis-client.ts";
import { chooseRedisTopology, type RedisSettings, type RedisTopology } from "../sessions/redis-topology.ts";
import type { Clock } from "../shared/clock.ts";
import { startMemoryReminderLoop } from "./memory-reminder-loop.ts";
import { QUEUE_HASH_TAG, startReminderWorkers } from "./reminder-queue.ts";
import { DEFAULT_CLAIM_MS, type ReminderSenderDeps, type SendFn } from "./reminder-sender.ts";
import { MemorySentLog, RedisSentLog, type SentLog } from "./sent-log.ts";
import {
  MemorySubscriptionStore,
  RedisSubscriptionStore,
  type SubscriptionStore,
} from "./subscription-store.ts";
import type { DeadlineWithScope } from "../shared/report.ts";

export interface ReminderStores {
  subscriptions: SubscriptionStore;
  sent: SentLog;
  /** Where they live: undefined for this process's memory. */
  topology: RedisTopology | undefined;
  /** Resolves once Redis answers (at most `waitMs` later; the stores fail fast until then). */
  ready(waitMs?: number): Promise<void>;
  close(): void;
}

/** The subscription store and sent log on the deployment's Redis (keys `<prefix>{zc-reminders}:…`), or in memory. */
export function reminderStores(
  settings: RedisSettings & { prefix: string; clock: Clock; onRedisError?: (e: Error) => void },
): ReminderStores {
  const topology = chooseRedisTopology(settings);
  if (!topology) {
    return {
      subscriptions: new MemorySubscriptionStore(),
      sent: new MemorySentLog(settings.clock),
      topology,
      ready: () => Promise.resolve(),
      close: () => undefined,
    };
  }
  const redis = createRedisClient(topology, settings.onRedisError ? { onError: settings.onRedisError } : {});
  const prefix = `${settings.prefix}${QUEUE_HASH_TAG}:`;
  return {
    subscriptions: new RedisSubscriptionStore(redis, prefix),
    sent: new RedisSentLog(redis, prefix),
    topology,
    ready: (waitMs = 3_000) => whenReady(redis, waitMs),
    close: () => redis.disconnect(),
  };
}

/** The scheduler and senders, running: `tick` plans (and with Redis enqueues) at once. */
export interface RunningReminders {
  tick(): Promise<number>;
  close(): Promise<void>;
}

/** Starts delivery: BullMQ workers on the stores' Redis, or the in-memory timer without it. */
export async function startReminders(
  stores: ReminderStores,
  opts: {
    prefix: string;
    tickMs: number;
    send: SendFn;
    deadlines: () => readonly DeadlineWithScope[];
    clock: Clock;
    onError: (line: string) => void;
  },
): Promise<RunningReminders> {
  const deps: ReminderSenderDeps = {
    subscriptions: stores.subscriptions,
    sent: stores.sent,
    send: opts.send,
    deadlines: opts.deadlines,
    clock: opts.clock,
    claimMs: DEFAULT_CLAIM_MS,
  };
  if (!stores.topology) return startMemoryReminderLoop(deps, opts.tickMs, opts.onError);
  return startReminderWorkers(deps, {
    topology: stores.topology,
    prefix: opts.prefix,
    tickMs: opts.tickMs,
    schedule: true,
    onError: opts.onError,
  });
}
