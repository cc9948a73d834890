// A lease that one process holds at a time (Telegram allows one getUpdates poller per bot token), kept by renewing.
import type { Cluster, Redis } from "ioredis";
import type { Clock } from "../shared/clock.ts";

/** A named lease; every holder renews well before `ttlMs` runs out, and the others take over when it lapses. */
export interface LeaseLock {
  /**
   * Takes the lease when it is free or already `owner`'s, and holds it for `ttlMs` from now. Resolves false
   * while another owner holds it; rejects when the store cannot be reached (nobody can take it then either).
   */
  hold(name: string, owner: string, ttlMs: number): Promise<boolean>;
  /** Gives the lease up if `owner` holds it, so a standby takes over at once rather than after the lease. */
  release(name: string, owner: string): Promise<void>;
}

// Take-or-extend in one step: a lapsed lease of ours is simply taken again (no one else polled meanwhile, or
// they would hold it now).
const HOLD = `
local v = redis.call('GET', KEYS[1])
if v == false or v == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 1
end
return 0`;

const RELEASE = `
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`;

/** Leases in Redis under `prefix`, shared by every replica using that Redis. */
export class RedisLeaseLock implements LeaseLock {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly prefix: string,
  ) {}

  async hold(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const held = await this.redis.eval(HOLD, 1, `${this.prefix}${name}`, owner, String(Math.ceil(ttlMs)));
    return held === 1;
  }

  async release(name: string, owner: string): Promise<void> {
    await this.redis.eval(RELEASE, 1, `${this.prefix}${name}`, owner);
  }
}

/** Leases of one process (no Redis configured: there is only this replica). */
export class MemoryLeaseLock implements LeaseLock {
  readonly #leases = new Map<string, { owner: string; until: number }>();

  constructor(private readonly clock: Clock) {}

  hold(name: string, owner: string, ttlMs: number): Promise<boolean> {
    const now = this.clock.now().getTime();
    const lease = this.#leases.get(name);
    if (lease && lease.owner !== owner && lease.until > now) return Promise.resolve(false);
    this.#leases.set(name, { owner, until: now + ttlMs });
    return Promise.resolve(true);
  }

  release(name: string, owner: string): Promise<void> {
    if (this.#leases.get(name)?.owner === owner) this.#leases.delete(name);
    return Promise.resolve();
  }
}
