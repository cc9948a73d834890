// Works off a durable inbox: new entries and those whose worker died, each acknowledged once answered.
import { setTimeout as delay } from "node:timers/promises";
import type { DurableInbox, InboxEntry } from "../app/durable-inbox.ts";
import type { Clock } from "../shared/clock.ts";
import { errorSummary, type AnswerResult } from "./answer-message.ts";
import type { ChannelLogger } from "./channel-adapter.ts";

export interface InboxWorkerOptions {
  inbox: DurableInbox;
  /** This process's consumer name in the group. */
  consumer: string;
  /** Answers one entry; never rejects. `retry-later` leaves it unacknowledged, to be tried again. */
  handle: (entry: InboxEntry) => Promise<AnswerResult>;
  /** Which entries must be answered in order (one user's messages); entries of different keys run in parallel. */
  orderKey: (entry: InboxEntry) => string;
  /** An entry held this long without an acknowledgement is taken over (its worker is presumed dead). */
  claimIdleMs: number;
  /** An entry older than this is given up (logged and dropped): its answer would come too late to help. */
  maxAgeMs: number;
  blockMs: number;
  clock: Clock;
  log: ChannelLogger;
  name: string;
}

const BATCH = 20;

/**
 * One worker per process and inbox. Every `claimIdleMs / 2` it first takes over stale entries (XAUTOCLAIM),
 * then reads new ones (XREADGROUP, blocking up to `blockMs`). A store outage pauses it with backoff.
 */
export class InboxWorker {
  readonly #stop = new AbortController();
  #loop: Promise<void> | undefined;

  constructor(private readonly o: InboxWorkerOptions) {}

  start(): void {
    this.#loop ??= this.#run();
  }

  /** Stops after the entries in hand (at most one block period later). */
  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#loop;
  }

  async #run(): Promise<void> {
    const { inbox, consumer, claimIdleMs, blockMs, log, name } = this.o;
    let failures = 0;
    let lastReclaim = -Infinity;
    while (!this.#stop.signal.aborted) {
      try {
        let entries: InboxEntry[] = [];
        const now = this.o.clock.now().getTime();
        if (now - lastReclaim >= claimIdleMs / 2) {
          entries = await inbox.reclaim(consumer, claimIdleMs, BATCH);
          lastReclaim = now;
          if (entries.length > 0)
            log.warn(`${name}: took over ${entries.length} message(s) left by a worker`);
        }
        if (entries.length === 0) entries = await inbox.take(consumer, BATCH, blockMs);
        if (failures > 0) log.info(`${name}: inbox reachable again`);
        failures = 0;
        await this.#work(entries);
      } catch (err) {
        if (failures === 0) log.warn(`${name}: inbox unreachable, retrying: ${errorSummary(err)}`);
        failures++;
        await delay(Math.min(10_000, 250 * 2 ** failures), undefined, { signal: this.#stop.signal }).catch(
          () => undefined,
        );
      }
    }
  }

  async #work(entries: InboxEntry[]): Promise<void> {
    const byKey = new Map<string, InboxEntry[]>();
    for (const e of entries) {
      const key = this.o.orderKey(e);
      byKey.set(key, [...(byKey.get(key) ?? []), e]);
    }
    await Promise.all(
      [...byKey.values()].map(async (list) => {
        for (const e of list) await this.#one(e);
      }),
    );
  }

  async #one(entry: InboxEntry): Promise<void> {
    const { inbox, log, name } = this.o;
    const age = this.o.clock.now().getTime() - entry.recordedAt;
    const result = age > this.o.maxAgeMs ? "expired" : await this.o.handle(entry);
    if (result === "retry-later") return;
    if (result === "expired")
      log.warn(`${name}: message ${entry.id} given up after ${Math.round(age / 1000)} s`);
    try {
      await inbox.ack(entry.id);
    } catch (err) {
      // It will be taken over and found answered (delivery marks), so nothing is sent twice.
      log.warn(`${name}: acknowledgement of ${entry.id} failed: ${errorSummary(err)}`);
    }
  }
}
