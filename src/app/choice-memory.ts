// The quick replies last offered to a user on a channel without buttons, so that "2" can be read as the second.
import type { Cluster, Redis } from "ioredis";
import type { Clock } from "../shared/clock.ts";

/** As long as WeChat lets us answer a user (48 h): an older number means nothing any more. */
export const CHOICES_TTL_SECONDS = 48 * 3_600;

export interface ChoiceMemory {
  /** Keeps `choices` as the last offered to `key` (none: forgets them). Rejects when the store cannot be reached. */
  remember(key: string, choices: readonly string[]): Promise<void>;
  /** The choices last offered to `key`; empty when none. */
  recall(key: string): Promise<string[]>;
}

function parse(raw: string | null): string[] {
  if (!raw) return [];
  try {
    const value: unknown = JSON.parse(raw);
    return Array.isArray(value) ? value.filter((c): c is string => typeof c === "string") : [];
  } catch {
    return [];
  }
}

/** Choices in Redis under `prefix`, with a TTL. */
export class RedisChoiceMemory implements ChoiceMemory {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly prefix: string,
    private readonly ttlSeconds = CHOICES_TTL_SECONDS,
  ) {}

  async remember(key: string, choices: readonly string[]): Promise<void> {
    if (choices.length === 0) await this.redis.del(`${this.prefix}${key}`);
    else await this.redis.set(`${this.prefix}${key}`, JSON.stringify(choices), "EX", this.ttlSeconds);
  }

  async recall(key: string): Promise<string[]> {
    return parse(await this.redis.get(`${this.prefix}${key}`));
  }
}

/** Choices of one process. */
export class MemoryChoiceMemory implements ChoiceMemory {
  readonly #entries = new Map<string, { choices: string[]; until: number }>();

  constructor(
    private readonly clock: Clock,
    private readonly ttlSeconds = CHOICES_TTL_SECONDS,
  ) {}

  remember(key: string, choices: readonly string[]): Promise<void> {
    const now = this.clock.now().getTime();
    for (const [k, e] of this.#entries) if (e.until <= now) this.#entries.delete(k);
    if (choices.length === 0) this.#entries.delete(key);
    else this.#entries.set(key, { choices: [...choices], until: now + this.ttlSeconds * 1000 });
    return Promise.resolve();
  }

  recall(key: string): Promise<string[]> {
    const e = this.#entries.get(key);
    return Promise.resolve(e && e.until > this.clock.now().getTime() ? e.choices : []);
  }
}
