// The web console and the operator's routes: GET /, /healthz (store), /readyz (accepting traffic), /metrics.
import { readFileSync } from "node:fs";
import type { FastifyInstance } from "fastify";
import { HTTP_MESSAGES } from "../i18n/http-messages.ts";
import type { Access } from "./access.ts";
import { HttpProblem } from "./http-errors.ts";
import type { Metrics } from "./metrics.ts";
import type { Lifecycle } from "./shutdown.ts";

const WEB_PAGE = readFileSync(new URL("./public/index.html", import.meta.url), "utf8");
/** The console is one self-contained page: nothing from elsewhere, never framed. */
const WEB_PAGE_CSP =
  "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'";

/** A chat channel's state as /healthz lists it. */
export interface ChannelHealth {
  name: string;
  state: "starting" | "up" | "down";
  reason?: string;
  detail?: string;
  since: string;
}

export interface OpsDeps {
  /** Whether the session store answers; undefined when there is none (GET /healthz then says "none"). */
  storeUp?: (() => Promise<boolean>) | undefined;
  /** The chat channels' states; a channel that is down is listed, and the check stays 200. */
  channels?: (() => ChannelHealth[]) | undefined;
  metrics: Metrics;
  access: Access;
  lifecycle: Lifecycle;
}

/** Registers GET /, /healthz, /readyz and /metrics (none of them rate-limited: probes call them often). */
export function registerOps(app: FastifyInstance, deps: OpsDeps): void {
  const { storeUp, channels, metrics, access, lifecycle } = deps;

  app.get("/", (_request, reply) => {
    void reply.type("text/html; charset=utf-8").header("content-security-policy", WEB_PAGE_CSP);
    return Promise.resolve(WEB_PAGE);
  });

  // Liveness and the store: 503 when the session store does not answer; the channels are listed, never decisive.
  app.get("/healthz", async (_request, reply) => {
    const store = storeUp ? ((await storeUp()) ? "up" : "down") : "none";
    if (store === "down") {
      metrics.storeError("health-check");
      void reply.code(503);
    }
    return { ok: store !== "down", store, ...(channels ? { channels: channels() } : {}) };
  });

  // Readiness: 503 from the moment shutdown begins, so a load balancer stops sending traffic.
  app.get("/readyz", (_request, reply) => {
    if (lifecycle.draining) void reply.code(503);
    return Promise.resolve({ ready: !lifecycle.draining });
  });

  app.get("/metrics", async (request, reply) => {
    if (!access.metricsAllowed(request))
      throw new HttpProblem(
        401,
        "unauthorized",
        HTTP_MESSAGES.metricsUnauthorized,
        {},
        { "www-authenticate": "Bearer" },
      );
    void reply.type(metrics.contentType);
    return metrics.render();
  });
}
