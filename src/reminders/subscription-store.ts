// Which chats want which regions' (and levels') deadline reminders: in Redis for every replica, or in memory.
import type { Cluster, Redis } from "ioredis";
import type { Level, Region } from "../shared/domain.ts";
import { chatKey, parseChatKey, type ChatRef } from "./chat-ref.ts";
import type { Subscription } from "./due-reminders.ts";

/** Subscriptions per chat. Every method rejects when the store cannot be reached. */
export interface SubscriptionStore {
  /** Adds one; false when the chat already had exactly this one. */
  add(sub: Subscription): Promise<boolean>;
  /**
   * Removes the chat's subscriptions to `region` (and `level`, when given; a region alone removes every level of
   * it; nothing given removes all of the chat's). Returns the ones removed.
   */
  remove(chat: ChatRef, region?: Region, level?: Level): Promise<Subscription[]>;
  /** The chat's subscriptions. */
  list(chat: ChatRef): Promise<Subscription[]>;
  /** Every subscription (what the scheduler reads). */
  all(): Promise<Subscription[]>;
}

/** The field a subscription is filed under: `<chat key>|<region>|<level or empty>`. */
function field(sub: Subscription): string {
  return `${chatKey(sub.chat)}|${sub.region}|${sub.level ?? ""}`;
}

function fromField(f: string): Subscription | undefined {
  const [key, region, level] = f.split("|");
  const chat = key === undefined ? undefined : parseChatKey(key);
  if (!chat || !region) return undefined;
  return { chat, region, ...(level ? { level: level as Level } : {}) };
}

function matches(sub: Subscription, chat: ChatRef, region?: Region, level?: Level): boolean {
  return (
    chatKey(sub.chat) === chatKey(chat) &&
    (region === undefined || sub.region === region) &&
    (level === undefined || sub.level === level)
  );
}

/**
 * Subscriptions in Redis: one hash of every subscription (`<prefix>subs`, what the scheduler reads) and a set per
 * chat (`<prefix>subs:<chat key>`); the prefix is hash-tagged, so both keys share a slot and change together.
 */
export class RedisSubscriptionStore implements SubscriptionStore {
  readonly #key: string;

  constructor(
    private readonly redis: Redis | Cluster,
    private readonly prefix: string,
  ) {
    this.#key = `${prefix}subs`;
  }

  async add(sub: Subscription): Promise<boolean> {
    const f = field(sub);
    const result = await this.redis.multi().hsetnx(this.#key, f, "1").sadd(this.#chatKey(sub.chat), f).exec();
    return result?.[0]?.[1] === 1;
  }

  async remove(chat: ChatRef, region?: Region, level?: Level): Promise<Subscription[]> {
    const gone = (await this.list(chat)).filter((s) => matches(s, chat, region, level));
    if (gone.length > 0) {
      const fields = gone.map(field);
      await this.redis
        .multi()
        .hdel(this.#key, ...fields)
        .srem(this.#chatKey(chat), ...fields)
        .exec();
    }
    return gone;
  }

  async list(chat: ChatRef): Promise<Subscription[]> {
    const fields = (await this.redis.smembers(this.#chatKey(chat))).sort();
    return fields.flatMap((f) => fromField(f) ?? []);
  }

  async all(): Promise<Subscription[]> {
    const fields = await this.redis.hkeys(this.#key);
    return fields.flatMap((f) => fromField(f) ?? []);
  }

  #chatKey(chat: ChatRef): string {
    return `${this.prefix}subs:${chatKey(chat)}`;
  }
}

/** Subscriptions of one process (no REDIS_URL). */
export class MemorySubscriptionStore implements SubscriptionStore {
  readonly #subs = new Map<string, Subscription>();

  add(sub: Subscription): Promise<boolean> {
    const f = field(sub);
    if (this.#subs.has(f)) return Promise.resolve(false);
    this.#subs.set(f, sub);
    return Promise.resolve(true);
  }

  remove(chat: ChatRef, region?: Region, level?: Level): Promise<Subscription[]> {
    const gone = [...this.#subs.values()].filter((s) => matches(s, chat, region, level));
    for (const s of gone) this.#subs.delete(field(s));
    return Promise.resolve(gone);
  }

  list(chat: ChatRef): Promise<Subscription[]> {
    return Promise.resolve(
      [...this.#subs.entries()]
        .filter(([, s]) => chatKey(s.chat) === chatKey(chat))
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([, s]) => s),
    );
  }

  all(): Promise<Subscription[]> {
    return Promise.resolve([...this.#subs.values()]);
  }
}
