// Long polling by one replica per bot token: a renewed lease elects the poller, the others stand by.
// https://core.telegram.org/bots/api#getupdates (a second concurrent getUpdates is answered 409 Conflict)
import { setTimeout as delay } from "node:timers/promises";
import type { Telegram } from "telegraf";
import type { LeaseLock } from "../../app/lease-lock.ts";
import { errorSummary } from "../answer-message.ts";
import { isTransient, PlatformRefusedError } from "../platform-error.ts";
import { toPlatformError } from "./api.ts";
import { ALLOWED_UPDATES } from "./types.ts";

export type PollerState = { kind: "polling" } | { kind: "standby" } | { kind: "down"; reason: string };

export interface PollerOptions {
  telegram: Telegram;
  lock: LeaseLock;
  /** The lease's name: one per bot token (derived from a hash of it, never the token itself). */
  lockName: string;
  /** This replica's id. */
  owner: string;
  leaseMs: number;
  timeoutSeconds: number;
  /** Handles one getUpdates batch; resolves when every update in it was handled (never rejects). */
  handleBatch: (updates: unknown[]) => Promise<void>;
  onState: (state: PollerState) => void;
}

/** Resolves after `ms`, or at once when `signal` aborts. */
async function pause(ms: number, signal: AbortSignal): Promise<void> {
  await delay(ms, undefined, { signal }).catch(() => undefined);
}

/** The update_id of the last update in a batch. */
function lastUpdateId(updates: unknown[]): number | undefined {
  const last = updates.at(-1) as { update_id?: unknown } | undefined;
  return typeof last?.update_id === "number" ? last.update_id : undefined;
}

/**
 * Polls getUpdates while this replica holds the lease, renewing it every third of its length. A standby asks
 * for the lease every half lease and takes over when the poller stops (it releases the lease) or dies (the lease
 * lapses). When Redis cannot be reached the poller keeps polling (no one can take the lease meanwhile) and a
 * standby keeps waiting. A 401 or 409 from Telegram ends the turn as poller; it is tried again with backoff.
 */
export class Poller {
  readonly #stop = new AbortController();
  #loop: Promise<void> | undefined;

  constructor(private readonly o: PollerOptions) {}

  start(): void {
    this.#loop ??= this.#run();
  }

  /** Stops polling after the batch in hand, confirms it to Telegram, and gives the lease up. */
  async stop(): Promise<void> {
    this.#stop.abort();
    await this.#loop;
  }

  async #run(): Promise<void> {
    const { lock, lockName, owner, leaseMs } = this.o;
    let failures = 0;
    while (!this.#stop.signal.aborted) {
      let held: boolean;
      try {
        held = await lock.hold(lockName, owner, leaseMs);
      } catch (err) {
        this.o.onState({ kind: "down", reason: `cannot elect the poller (Redis): ${errorSummary(err)}` });
        await pause(leaseMs / 2, this.#stop.signal);
        continue;
      }
      if (!held) {
        this.o.onState({ kind: "standby" });
        await pause(leaseMs / 2, this.#stop.signal);
        continue;
      }
      this.o.onState({ kind: "polling" });
      const failure = await this.#lead();
      if (failure === undefined) {
        failures = 0;
        continue;
      }
      failures++;
      this.o.onState({ kind: "down", reason: errorSummary(failure) });
      await pause(Math.min(60_000, 500 * 2 ** failures), this.#stop.signal);
    }
  }

  /** Polls until stopped or the lease is lost (undefined), or until Telegram refuses (that error). */
  async #lead(): Promise<unknown> {
    const { lock, lockName, owner, leaseMs } = this.o;
    const lead = new AbortController();
    const onStop = () => lead.abort();
    this.#stop.signal.addEventListener("abort", onStop);
    let lost = false;
    const renewing = (async () => {
      while (!lead.signal.aborted) {
        await pause(leaseMs / 3, lead.signal);
        if (lead.signal.aborted) break;
        try {
          if (!(await lock.hold(lockName, owner, leaseMs))) {
            lost = true;
            lead.abort();
          }
        } catch {
          // Redis is away: nobody can take the lease meanwhile, so keep polling (users get "服务繁忙").
        }
      }
    })();
    try {
      await this.#poll(lead.signal, () => !lost);
      return undefined;
    } catch (err) {
      return err;
    } finally {
      lead.abort();
      this.#stop.signal.removeEventListener("abort", onStop);
      await renewing;
      if (!lost) await lock.release(lockName, owner).catch(() => undefined);
    }
  }

  async #poll(signal: AbortSignal, stillOurs: () => boolean): Promise<void> {
    const { telegram, timeoutSeconds } = this.o;
    let offset = 0;
    /** The offset of the last getUpdates sent: Telegram forgets the updates below it as the request arrives. */
    let sent = 0;
    let failures = 0;
    while (!signal.aborted) {
      let updates: unknown[];
      try {
        sent = offset;
        updates = await telegram.callApi(
          "getUpdates",
          { offset, timeout: timeoutSeconds, allowed_updates: [...ALLOWED_UPDATES] },
          // telegraf types the signal as the abort-controller polyfill's; node-fetch takes Node's own.
          { signal: signal as never },
        );
        failures = 0;
      } catch (err) {
        if (signal.aborted) break;
        const e = toPlatformError(err);
        if (!isTransient(e)) throw e;
        failures++;
        const asked = e instanceof PlatformRefusedError ? e.retryAfterMs : undefined;
        await pause(asked ?? Math.min(30_000, 500 * 2 ** failures), signal);
        continue;
      }
      if (updates.length === 0) continue;
      await this.o.handleBatch(updates);
      // Never backwards: an update handed out again (a redelivery) keeps its old id.
      offset = Math.max(offset, (lastUpdateId(updates) ?? -1) + 1);
    }
    // Stopped while handling a batch: confirm it so the next poller does not get it again. Not after losing the
    // lease (a getUpdates now would cut the new poller's request short with a 409).
    if (offset > sent && stillOurs())
      await telegram.callApi("getUpdates", { offset, limit: 1, timeout: 0 }).catch(() => undefined);
  }
}
