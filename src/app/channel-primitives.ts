// The store-backed parts the chat channels need (poller lease, delivery marks, durable inbox), from one place.
import type { Cluster, Redis } from "ioredis";
import { createRedisClient } from "../sessions/create-redis-client.ts";
import { chooseRedisTopology, type RedisSettings } from "../sessions/redis-topology.ts";
import type { Clock } from "../shared/clock.ts";
import { MemoryChoiceMemory, RedisChoiceMemory, type ChoiceMemory } from "./choice-memory.ts";
import { MemoryDeliveryLog, RedisDeliveryLog, type DeliveryLog } from "./delivery-log.ts";
import { MemoryInbox, RedisInbox, whenReady, type DurableInbox, type InboxOptions } from "./durable-inbox.ts";
import { MemoryLeaseLock, RedisLeaseLock, type LeaseLock } from "./lease-lock.ts";

/** What {@link createChannelPrimitives} hands to `startChannels`. */
export interface ChannelPrimitives {
  lock: LeaseLock;
  deliveries: DeliveryLog;
  /** The durable inbox of one channel (e.g. "dingtalk"); the same object for the same name. */
  inbox: (name: string) => DurableInbox;
  /** Quick replies last offered per user (WeChat and WeCom answer them by number). */
  choices: ChoiceMemory;
  /** Resolves once Redis answers (at most `waitMs` later; the parts fail fast and retry until then). */
  ready: (waitMs?: number) => Promise<void>;
  close: () => Promise<void>;
}

/**
 * The same Redis settings as the session store (`REDIS_URL`, or Sentinels, or Cluster nodes); none set: in-memory
 * parts, right for one process only.
 */
export interface ChannelPrimitivesOptions extends RedisSettings {
  /** The deployment's key prefix (REDIS_PREFIX); channel keys live under `<prefix>ch:`. */
  prefix: string;
  clock: Clock;
  /** Connection-level Redis errors (they repeat while Redis is down: throttle any logging). */
  onRedisError?: (error: Error) => void;
  inbox?: InboxOptions;
}

/** How long XREADGROUP waits for a new entry; the blocking connection's command timeout is longer. */
export const INBOX_BLOCK_MS = 1_000;

/** Builds the channels' Redis parts (or in-memory ones without REDIS_URL). */
export function createChannelPrimitives(options: ChannelPrimitivesOptions): ChannelPrimitives {
  const prefix = `${options.prefix}ch:`;
  const inboxes = new Map<string, DurableInbox>();
  const topology = chooseRedisTopology(options);
  if (!topology) {
    const { clock } = options;
    return {
      lock: new MemoryLeaseLock(clock),
      deliveries: new MemoryDeliveryLog(clock),
      choices: new MemoryChoiceMemory(clock),
      inbox: (name) => remember(inboxes, name, () => new MemoryInbox(clock, options.inbox)),
      ready: () => Promise.resolve(),
      close: async () => {
        await Promise.all([...inboxes.values()].map((i) => i.close()));
      },
    };
  }
  const clientOptions = options.onRedisError ? { onError: options.onRedisError } : {};
  const redis = createRedisClient(topology, clientOptions);
  // Each inbox blocks in XREADGROUP on a connection of its own (a blocked connection serves nothing else).
  const blocking: Array<Redis | Cluster> = [];
  const blockingClient = () => {
    const client = createRedisClient(topology, {
      ...clientOptions,
      commandTimeoutMs: INBOX_BLOCK_MS + 5_000,
    });
    blocking.push(client);
    return client;
  };
  return {
    lock: new RedisLeaseLock(redis, `${prefix}lease:`),
    deliveries: new RedisDeliveryLog(redis, `${prefix}delivered:`),
    choices: new RedisChoiceMemory(redis, `${prefix}choices:`),
    inbox: (name) =>
      remember(inboxes, name, () => new RedisInbox(redis, blockingClient(), prefix, name, options.inbox)),
    ready: (waitMs = 3_000) => whenReady(redis, waitMs),
    close: async () => {
      await Promise.all([...inboxes.values()].map((i) => i.close()));
      redis.disconnect();
      for (const client of blocking) client.disconnect();
    },
  };
}

function remember<T>(map: Map<string, T>, key: string, make: () => T): T {
  let value = map.get(key);
  if (value === undefined) {
    value = make();
    map.set(key, value);
  }
  return value;
}
