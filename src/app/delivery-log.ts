// Which messages' replies reached the platform: a redelivery of a delivered message sends nothing again.
import type { Cluster, Redis } from "ioredis";
import type { Clock } from "../shared/clock.ts";

/** How long a delivery is remembered: longer than the store remembers a message id (600 s), so a redelivery the
 * store still recognises is never answered twice. */
export const DELIVERY_TTL_SECONDS = 3_600;

/** Marks per delivery key (`<channel>:<message id>`, the chat turn's dedupe key). */
export interface DeliveryLog {
  /** True when the replies to `key` were delivered. Rejects when the store cannot be reached. */
  wasDelivered(key: string): Promise<boolean>;
  /** Records that the replies to `key` reached the platform. */
  markDelivered(key: string): Promise<void>;
}

/** Delivery marks in Redis under `prefix`, with a TTL. */
export class RedisDeliveryLog implements DeliveryLog {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly prefix: string,
    private readonly ttlSeconds = DELIVERY_TTL_SECONDS,
  ) {}

  async wasDelivered(key: string): Promise<boolean> {
    return (await this.redis.exists(`${this.prefix}${key}`)) === 1;
  }

  async markDelivered(key: string): Promise<void> {
    await this.redis.set(`${this.prefix}${key}`, "1", "EX", this.ttlSeconds);
  }
}

/** Delivery marks of one process. */
export class MemoryDeliveryLog implements DeliveryLog {
  readonly #until = new Map<string, number>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlSeconds = DELIVERY_TTL_SECONDS,
  ) {}

  wasDelivered(key: string): Promise<boolean> {
    return Promise.resolve((this.#until.get(key) ?? 0) > this.clock.now().getTime());
  }

  markDelivered(key: string): Promise<void> {
    const now = this.clock.now().getTime();
    for (const [k, until] of this.#until) if (until <= now) this.#until.delete(k);
    this.#until.set(key, now + this.ttlSeconds * 1000);
    return Promise.resolve();
  }
}
