// dingtalk-stream's DWClient with a configurable gateway and a reconnect that backs off.
// https://open.dingtalk.com/document/direction/stream-mode-protocol-access-description
import { setTimeout as delay } from "node:timers/promises";
import { DWClient } from "dingtalk-stream";
import { errorSummary } from "../answer-message.ts";
import { PlatformRefusedError, PlatformUnavailableError } from "../platform-error.ts";

export const DEFAULT_GATEWAY_URL = "https://api.dingtalk.com/v1.0/gateway/connections/open";

/** A connection that lasted less than this counts as a failure for the backoff (the server took and dropped it). */
const STABLE_MS = 30_000;

export interface StreamClientOptions {
  clientId: string;
  clientSecret: string;
  gatewayUrl?: string;
  /** Backoff after the n-th failure in a row: `min(maxBackoffMs, baseBackoffMs · 2^(n-1))`, with jitter. */
  baseBackoffMs?: number;
  maxBackoffMs?: number;
  onUp: () => void;
  onDown: (reason: string) => void;
}

/**
 * The SDK client with two changes. `getEndpoint` asks the configured gateway (the SDK hard-codes
 * api.dingtalk.com). `connect` is guarded: the SDK retries every second, forever, and a failed socket schedules
 * a reconnect from its close on top of the one its error causes — which, a second later, would drop the healthy
 * connection made meanwhile. Here one attempt runs at a time, a call while a socket is open is ignored, and
 * failures in a row (refused tickets, a gateway that is down, connections dropped at once) back off exponentially.
 */
export class GuardedStreamClient extends DWClient {
  readonly #o: StreamClientOptions;
  readonly #stop = new AbortController();
  #running = false;
  #failures = 0;
  #openedAt: number | undefined;

  constructor(o: StreamClientOptions) {
    super({ clientId: o.clientId, clientSecret: o.clientSecret });
    this.#o = o;
  }

  override async getEndpoint(): Promise<this> {
    const { clientId, clientSecret, ua, subscriptions } = this.config;
    const url = this.#o.gatewayUrl ?? DEFAULT_GATEWAY_URL;
    let res: Response;
    try {
      res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json", accept: "application/json" },
        body: JSON.stringify({ clientId, clientSecret, ua, subscriptions }),
        signal: AbortSignal.timeout(10_000),
      });
    } catch (err) {
      throw new PlatformUnavailableError("dingtalk", `gateway: ${errorSummary(err)}`, { cause: err });
    }
    if (res.status >= 500) throw new PlatformUnavailableError("dingtalk", `gateway: HTTP ${res.status}`);
    const body = (await res.json().catch(() => ({}))) as {
      endpoint?: unknown;
      ticket?: unknown;
      message?: unknown;
    };
    if (!res.ok || typeof body.endpoint !== "string" || typeof body.ticket !== "string")
      throw new PlatformRefusedError(
        "dingtalk",
        res.status,
        `gateway: ${typeof body.message === "string" ? body.message : "no endpoint or ticket"}`,
      );
    // The SDK keeps the socket URL in a private field and opens it in `_connect`.
    (this as unknown as { dw_url: string }).dw_url =
      `${body.endpoint}?ticket=${encodeURIComponent(body.ticket)}`;
    return this;
  }

  override async connect(): Promise<void> {
    // A second call while an attempt runs, or while a socket is open (a timer the SDK set when an earlier,
    // failed socket closed), is one reconnect too many.
    if (this.#running || this.connected || this.#stop.signal.aborted) return;
    this.#running = true;
    try {
      if (this.#openedAt !== undefined) {
        // Called by the SDK a second after the socket closed.
        this.#failures = Date.now() - this.#openedAt < STABLE_MS ? this.#failures + 1 : 0;
        this.#openedAt = undefined;
        this.#o.onDown("connection closed");
      }
      while (!this.#stop.signal.aborted) {
        if (this.#failures > 0)
          await delay(this.#backoffMs(), undefined, { signal: this.#stop.signal }).catch(() => undefined);
        if (this.#stop.signal.aborted) return;
        try {
          await this.getEndpoint();
          await this._connect();
          this.#openedAt = Date.now();
          this.#o.onUp();
          return;
        } catch (err) {
          this.#failures++;
          this.#o.onDown(errorSummary(err));
        }
      }
    } finally {
      this.#running = false;
    }
  }

  /** Closes the connection for good (no reconnect). */
  stop(): void {
    this.#stop.abort();
    this.disconnect();
  }

  #backoffMs(): number {
    const base = this.#o.baseBackoffMs ?? 1_000;
    const ms = Math.min(this.#o.maxBackoffMs ?? 60_000, base * 2 ** (this.#failures - 1));
    return Math.round(ms * (0.5 + Math.random() / 2));
  }
}
