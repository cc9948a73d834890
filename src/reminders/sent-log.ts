// Which (chat, deadline id, offset) reminders went out, and the short claim a sender holds while it sends one.
import type { Cluster, Redis } from "ioredis";
import type { Clock } from "../shared/clock.ts";
import { sentKey, type SentRecord } from "./due-reminders.ts";
import { REMINDER_OFFSETS, type ReminderOffset } from "./reminder-schedule.ts";

/** Sent records and send claims. Every method rejects when the store cannot be reached. */
export interface SentLog {
  /**
   * Takes the claim on one message (a chat's reminder for a deadline) for `leaseMs`; false while another sender
   * holds it. The claim lapses on its own, so a sender that dies lets another send (at most once more).
   */
  claim(chat: string, deadlineId: string, leaseMs: number): Promise<boolean>;
  /** Gives a claim up early (the send failed and will be retried). */
  release(chat: string, deadlineId: string): Promise<void>;
  /** Records the offsets a message stood for, right after the platform accepted it. */
  record(chat: string, deadlineId: string, offsets: readonly ReminderOffset[]): Promise<void>;
  /** True when any of these offsets was recorded for the chat and deadline. */
  anySent(chat: string, deadlineId: string, offsets: readonly ReminderOffset[]): Promise<boolean>;
  /** The records of one chat's reminders of one deadline. */
  forDeadline(chat: string, deadlineId: string): Promise<SentRecord[]>;
  /** Every record (what the due computation reads). */
  all(): Promise<SentRecord[]>;
  /** Forgets a chat's records (`/forget`). */
  forgetChat(chat: string): Promise<void>;
}

function parseRecord(f: string): SentRecord | undefined {
  const [chat, deadlineId, offset] = f.split("\n");
  if (!chat || !deadlineId || offset === undefined) return undefined;
  return { chat, deadlineId, offset: Number(offset) as ReminderOffset };
}

/** Records in one Redis hash (`<prefix>sent`), claims as keys with a PX expiry; the prefix is hash-tagged. */
export class RedisSentLog implements SentLog {
  constructor(
    private readonly redis: Redis | Cluster,
    private readonly prefix: string,
  ) {}

  async claim(chat: string, deadlineId: string, leaseMs: number): Promise<boolean> {
    const ok = await this.redis.set(this.#claimKey(chat, deadlineId), "1", "PX", leaseMs, "NX");
    return ok === "OK";
  }

  async release(chat: string, deadlineId: string): Promise<void> {
    await this.redis.del(this.#claimKey(chat, deadlineId));
  }

  async record(chat: string, deadlineId: string, offsets: readonly ReminderOffset[]): Promise<void> {
    const args = offsets.flatMap((o) => [sentKey(chat, deadlineId, o), "1"]);
    if (args.length > 0) await this.redis.hset(`${this.prefix}sent`, ...args);
  }

  async anySent(chat: string, deadlineId: string, offsets: readonly ReminderOffset[]): Promise<boolean> {
    if (offsets.length === 0) return false;
    const values = await this.redis.hmget(
      `${this.prefix}sent`,
      ...offsets.map((o) => sentKey(chat, deadlineId, o)),
    );
    return values.some((v) => v !== null);
  }

  async forDeadline(chat: string, deadlineId: string): Promise<SentRecord[]> {
    const values = await this.redis.hmget(
      `${this.prefix}sent`,
      ...REMINDER_OFFSETS.map((o) => sentKey(chat, deadlineId, o)),
    );
    return REMINDER_OFFSETS.filter((_, i) => values[i] !== null).map((offset) => ({
      chat,
      deadlineId,
      offset,
    }));
  }

  async all(): Promise<SentRecord[]> {
    return (await this.redis.hkeys(`${this.prefix}sent`)).flatMap((f) => parseRecord(f) ?? []);
  }

  async forgetChat(chat: string): Promise<void> {
    const mine = (await this.all()).filter((r) => r.chat === chat);
    if (mine.length > 0)
      await this.redis.hdel(
        `${this.prefix}sent`,
        ...mine.map((r) => sentKey(r.chat, r.deadlineId, r.offset)),
      );
  }

  #claimKey(chat: string, deadlineId: string): string {
    return `${this.prefix}claim:${chat}\n${deadlineId}`;
  }
}

/** Records and claims of one process (no REDIS_URL). */
export class MemorySentLog implements SentLog {
  readonly #sent = new Set<string>();
  readonly #claims = new Map<string, number>();

  constructor(private readonly clock: Clock) {}

  claim(chat: string, deadlineId: string, leaseMs: number): Promise<boolean> {
    const key = `${chat}\n${deadlineId}`;
    const now = this.clock.now().getTime();
    if ((this.#claims.get(key) ?? 0) > now) return Promise.resolve(false);
    this.#claims.set(key, now + leaseMs);
    return Promise.resolve(true);
  }

  release(chat: string, deadlineId: string): Promise<void> {
    this.#claims.delete(`${chat}\n${deadlineId}`);
    return Promise.resolve();
  }

  record(chat: string, deadlineId: string, offsets: readonly ReminderOffset[]): Promise<void> {
    for (const o of offsets) this.#sent.add(sentKey(chat, deadlineId, o));
    return Promise.resolve();
  }

  anySent(chat: string, deadlineId: string, offsets: readonly ReminderOffset[]): Promise<boolean> {
    return Promise.resolve(offsets.some((o) => this.#sent.has(sentKey(chat, deadlineId, o))));
  }

  forDeadline(chat: string, deadlineId: string): Promise<SentRecord[]> {
    return Promise.resolve(
      REMINDER_OFFSETS.filter((o) => this.#sent.has(sentKey(chat, deadlineId, o))).map((offset) => ({
        chat,
        deadlineId,
        offset,
      })),
    );
  }

  all(): Promise<SentRecord[]> {
    return Promise.resolve([...this.#sent].flatMap((f) => parseRecord(f) ?? []));
  }

  forgetChat(chat: string): Promise<void> {
    for (const f of [...this.#sent]) if (f.startsWith(`${chat}\n`)) this.#sent.delete(f);
    return Promise.resolve();
  }
}
