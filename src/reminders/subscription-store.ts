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

/** Subscriptions in one Redis hash (`<prefix>subs`, the prefix hash-tagged so every reminder key shares a slot). */
export class RedisSubscriptionStore implements SubscriptionStore {
  readonly #key: string;

  constructor(
    private readonly redis: Redis | Cluster,
    prefix: string,
  ) {
    this.#key = `${prefix}subs`;
  }

  async add(sub: Subscription): Promise<boolean> {
    return (await this.redis.hsetnx(this.#key, field(sub), "1")) === 1;
  }

  async remove(chat: ChatRef, region?: Region, level?: Level): Promise<Subscription[]> {
    const gone = (await this.list(chat)).filter((s) => matches(s, chat, region, level));
    if (gone.length > 0) await this.redis.hdel(this.#key, ...gone.map(field));
    return gone;
  }

  async list(chat: ChatRef): Promise<Subscription[]> {
    const prefix = `${chatKey(chat)}|`;
    const out: Subscription[] = [];
    // HSCAN with a MATCH on the chat's prefix: a chat's fields without reading every subscription into memory.
    let cursor = "0";
    do {
      const [next, entries] = await this.redis.hscan(
        this.#key,
        cursor,
        "MATCH",
        `${globEscape(prefix)}*`,
        "COUNT",
        500,
      );
      cursor = next;
      for (let i = 0; i < entries.length; i += 2) {
        const sub = fromField(entries[i] ?? "");
        if (sub) out.push(sub);
      }
    } while (cursor !== "0");
    return out.sort((a, b) => field(a).localeCompare(field(b)));
  }

  async all(): Promise<Subscription[]> {
    const fields = await this.redis.hkeys(this.#key);
    return fields.flatMap((f) => fromField(f) ?? []);
  }
}

function globEscape(s: string): string {
  return s.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
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
