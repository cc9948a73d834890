// Prometheus metrics (GET /metrics): request latency by route pattern, chat turn outcomes, store errors, process.
import { Counter, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import type { ChatOutcome, InboundMessage } from "../shared/chat.ts";

export type TurnStatus = ChatOutcome["status"];
const TURN_STATUSES: readonly TurnStatus[] = ["answered", "duplicate", "pending", "rate-limited", "busy"];

/** Where the server saw the session store fail. */
export type StoreErrorSource = "health-check" | "redis-connection";

/** One registry per server (tests build several); the composition root feeds it. */
export class Metrics {
  readonly registry = new Registry();
  private readonly requestSeconds = new Histogram({
    name: "zhicheng_http_request_duration_seconds",
    help: "HTTP request latency by method, route pattern and status.",
    labelNames: ["method", "route", "status_code"] as const,
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 20],
    registers: [this.registry],
  });
  private readonly aborted = new Counter({
    name: "zhicheng_http_requests_aborted_total",
    help: "Requests the client abandoned before the response was sent, by route pattern.",
    labelNames: ["route"] as const,
    registers: [this.registry],
  });
  private readonly malformed = new Counter({
    name: "zhicheng_http_malformed_requests_total",
    help: "Requests Node could not parse or that timed out before they were complete, by status answered.",
    labelNames: ["status_code"] as const,
    registers: [this.registry],
  });
  private readonly turns = new Counter({
    name: "zhicheng_chat_turns_total",
    help: "Chat messages by channel and outcome (answered, duplicate, pending, rate-limited, busy).",
    labelNames: ["channel", "outcome"] as const,
    registers: [this.registry],
  });
  private readonly storeErrors = new Counter({
    name: "zhicheng_store_errors_total",
    help: "Session store failures: Redis connection errors, failed health checks.",
    labelNames: ["source"] as const,
    registers: [this.registry],
  });

  /** @param options.processMetrics also collect prom-client's default process metrics (CPU, memory, GC, event loop). */
  constructor(options: { processMetrics?: boolean } = {}) {
    if (options.processMetrics) collectDefaultMetrics({ register: this.registry, prefix: "zhicheng_" });
    this.storeErrors.inc({ source: "health-check" }, 0);
  }

  /** Per method, route and status: looking a series up by its labels hashes them on every request. */
  private readonly requestSeries = new Map<string, { observe(seconds: number): void }>();

  /** One answered request; `route` is the route pattern (never the raw URL), "unmatched" for no route. */
  observeRequest(method: string, route: string, status: number, seconds: number): void {
    const key = `${method} ${status} ${route}`;
    let series = this.requestSeries.get(key);
    if (!series) {
      series = this.requestSeconds.labels({ method, route, status_code: status });
      this.requestSeries.set(key, series);
    }
    series.observe(seconds);
  }

  requestAborted(route: string): void {
    this.aborted.inc({ route });
  }

  malformedRequest(status: number): void {
    this.malformed.inc({ status_code: status });
  }

  storeError(source: StoreErrorSource): void {
    this.storeErrors.inc({ source });
  }

  /** Wraps a channel's chat function so every outcome is counted (the composition root wraps it once). */
  countingTurns<M extends InboundMessage, O extends { status: TurnStatus }>(
    chat: (msg: M) => Promise<O>,
  ): (msg: M) => Promise<O> {
    return async (msg) => {
      const outcome = await chat(msg);
      this.turns.inc({ channel: msg.channel, outcome: outcome.status });
      return outcome;
    };
  }

  /** Declares a channel's outcome series at zero, so dashboards see them before the first message. */
  declareChannel(channel: string): void {
    for (const outcome of TURN_STATUSES) this.turns.inc({ channel, outcome }, 0);
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  render(): Promise<string> {
    return this.registry.metrics();
  }
}
