// The HTTP API and web console (contract: HTTP under `serve`) on Fastify: limits, hooks, errors, routes.
// https://fastify.dev/docs/latest/Reference/Server/
import { randomUUID } from "node:crypto";
import type { AddressInfo } from "node:net";
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from "fastify";
import fastifyCookie from "@fastify/cookie";
import fastifyRateLimit, { normalizeIP } from "@fastify/rate-limit";
import type { Config } from "../config.ts";
import type { Services } from "../app/services.ts";
import { CHAT_MESSAGES } from "../i18n/chat-messages.ts";
import { HTTP_MESSAGES } from "../i18n/http-messages.ts";
import { Access, isLoopbackHost, type AccessSettings } from "./access.ts";
import { registerApi, tooManyRequests } from "./api-routes.ts";
import { registerHrRoutes } from "./hr-routes.ts";
import { registerConsoleApi, registerConsoleAssets } from "./console-routes.ts";
import type { ChatHandler } from "./chat-route.ts";
import { COMMON_HEADERS, createClientErrorHandler, createErrorHandler, HttpProblem } from "./http-errors.ts";
import { createLogger, HttpLogController } from "./logger.ts";
import { Metrics } from "./metrics.ts";
import { registerOps, type ChannelHealth } from "./ops-routes.ts";
import { registerWebhooks, type WebhookRoute } from "./webhook-routes.ts";
import { MAX_BODY_BYTES, MAX_USER_CHARS } from "./request-schemas.ts";
import { drain, Lifecycle, type ShutdownResult } from "./shutdown.ts";

/** A client must send its request headers within this time (slow-header clients hold a connection slot). */
export const HEADERS_TIMEOUT_MS = 10_000;
/** …and the whole request (headers and body) within this time. Answering may take longer (LLM_TIMEOUT_MS). */
export const REQUEST_TIMEOUT_MS = 30_000;
/** An idle keep-alive connection is closed after this; above the 60 s idle timeout of common load balancers. */
export const KEEP_ALIVE_TIMEOUT_MS = 65_000;
/** How often Node checks the two timeouts above (its default, 30 s, would let them overrun by that much). */
const TIMEOUT_CHECK_INTERVAL_MS = 1_000;

/** The server's settings, from the configuration ({@link httpSettings}). */
export interface HttpSettings {
  access: AccessSettings;
  /** Fastify's trustProxy (TRUST_PROXY): X-Forwarded-For and X-Forwarded-Proto count only when set. */
  trustProxy: boolean | string[];
  /** Per client on /api/* (HTTP_RATE_LIMIT_PER_MINUTE). */
  rateLimitPerMinute: number;
  /** Connections open at once (HTTP_MAX_CONNECTIONS). */
  maxConnections: number;
  /** One log line per request (off in the bench). */
  requestLogging: boolean;
}

/**
 * The settings from the configuration. `listensOnLoopback` defaults to whether HOST is a loopback address; a
 * test passes false to see the server as a public deployment would.
 */
export function httpSettings(
  config: Config,
  overrides: { listensOnLoopback?: boolean; requestLogging?: boolean } = {},
): HttpSettings {
  return {
    access: {
      apiKeys: config.API_KEYS ?? [],
      listensOnLoopback: overrides.listensOnLoopback ?? isLoopbackHost(config.HOST),
      metricsToken: config.METRICS_TOKEN,
      sessionTtlDays: config.SESSION_TTL_DAYS,
    },
    trustProxy: config.TRUST_PROXY ?? false,
    rateLimitPerMinute: config.HTTP_RATE_LIMIT_PER_MINUTE,
    maxConnections: config.HTTP_MAX_CONNECTIONS,
    requestLogging: overrides.requestLogging ?? true,
  };
}

export interface HttpDeps {
  services: Services;
  /** The chat turn (POST /api/chat answers 503 without one). */
  chat?: ChatHandler;
  /** Whether the session store answers (GET /healthz reports 503 when it does not). */
  storeUp?: () => Promise<boolean>;
  /** Default: a fresh registry without process metrics. */
  metrics?: Metrics;
  /** Default: silent. */
  logger?: FastifyBaseLogger;
  /** The chat channels' states, listed by GET /healthz (a channel that is down does not fail the check). */
  channels?: () => ChannelHealth[];
  /** Platform callbacks to mount (Telegram webhook, WeChat, WeCom). */
  webhooks?: readonly WebhookRoute[];
}

/** A built server: listen, then drain on shutdown. */
export class HttpServer {
  constructor(
    readonly app: FastifyInstance,
    private readonly lifecycle: Lifecycle,
  ) {}

  /** Listens on `host:port` (port 0: any free port) and resolves with the address. */
  async listen(port: number, host: string): Promise<AddressInfo> {
    await this.app.listen({ port, host });
    return this.app.server.address() as AddressInfo;
  }

  /** Graceful shutdown within `graceMs` (see {@link drain}). */
  shutdown(graceMs: number): Promise<ShutdownResult> {
    return drain(this.app, this.lifecycle, graceMs);
  }

  /** Ends every connection now (a second signal during shutdown). */
  closeAllConnections(): void {
    this.app.server.closeAllConnections();
  }
}

/** Builds the server (not listening). One error handler: a Chinese message, the request id as reference. */
export function createHttpServer(deps: HttpDeps, settings: HttpSettings): HttpServer {
  const metrics = deps.metrics ?? new Metrics();
  const access = new Access(settings.access);
  const lifecycle = new Lifecycle();
  const errorHandler = createErrorHandler(MAX_BODY_BYTES);

  const app = Fastify({
    loggerInstance: deps.logger ?? createLogger("silent"),
    logController: new HttpLogController({ disableRequestLogging: !settings.requestLogging }),
    // Our own ids: a client-sent X-Request-Id is not trusted.
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    trustProxy: settings.trustProxy,
    bodyLimit: MAX_BODY_BYTES,
    // Draining is answered by our own hook, in Chinese (Fastify's own 503 is English).
    return503OnClosing: false,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    requestTimeout: REQUEST_TIMEOUT_MS,
    http: {
      headersTimeout: HEADERS_TIMEOUT_MS,
      connectionsCheckingInterval: TIMEOUT_CHECK_INTERVAL_MS,
      // A request without Host gets our Chinese 400 (below) rather than Node's empty one.
      requireHostHeader: false,
    },
    clientErrorHandler: createClientErrorHandler((status) => metrics.malformedRequest(status)),
    frameworkErrors: (error, request, reply) => {
      void errorHandler(error, request, reply);
    },
    // Query strings are strings, bodies are JSON: no silent coercion of `"user": 1` into "1".
    ajv: { customOptions: { coerceTypes: false } },
  }) as unknown as FastifyInstance;
  app.server.maxConnections = settings.maxConnections;

  // Only JSON bodies (Fastify also takes text/plain by default): anything else is a 415.
  app.removeContentTypeParser("text/plain");
  app.setErrorHandler(errorHandler);

  const methodsByUrl = new Map<string, Set<string>>();
  app.addHook("onRoute", (route) => {
    const methods = methodsByUrl.get(route.url) ?? new Set<string>();
    for (const method of [route.method].flat()) methods.add(method);
    methodsByUrl.set(route.url, methods);
  });
  app.setNotFoundHandler((request, reply) => {
    const allowed = methodsByUrl.get(request.url.split("?", 1)[0] ?? "");
    const problem = allowed
      ? new HttpProblem(
          405,
          "method_not_allowed",
          HTTP_MESSAGES.methodNotAllowed([...allowed]),
          {},
          {
            allow: [...allowed].join(", "),
          },
        )
      : new HttpProblem(404, "not_found", HTTP_MESSAGES.notFound);
    return reply.code(problem.statusCode).headers(problem.headers).send(problem.body());
  });

  app.addHook("onRequest", (request, reply, done) => {
    void reply.headers(COMMON_HEADERS);
    if (lifecycle.draining && request.routeOptions.url !== "/readyz")
      return done(
        new HttpProblem(503, "shutting_down", HTTP_MESSAGES.shuttingDown, {}, { "retry-after": "5" }),
      );
    if (request.raw.httpVersion === "1.1" && request.headers.host === undefined)
      return done(new HttpProblem(400, "missing_host", HTTP_MESSAGES.missing("请求头", "Host")));
    done();
  });
  // While draining, every response closes its connection, so no socket lingers idle once its request is done.
  app.addHook("onSend", (_request, reply, payload, done) => {
    if (lifecycle.draining) void reply.header("connection", "close");
    done(null, payload);
  });
  app.addHook("onResponse", (request, reply, done) => {
    metrics.observeRequest(
      request.method,
      request.routeOptions.url ?? "unmatched",
      reply.statusCode,
      reply.elapsedTime / 1000,
    );
    done();
  });
  // A client that hangs up before its answer is not an error of ours: counted apart, logged at info.
  app.addHook("onRequestAbort", (request, done) => {
    metrics.requestAborted(request.routeOptions.url ?? "unmatched");
    request.log.info("client disconnected before the response");
    done();
  });

  // Parsed on demand, by the chat route only (a parse per request would be wasted on every other route).
  void app.register(fastifyCookie, { hook: false });
  void app.register(fastifyRateLimit, {
    global: false,
    max: settings.rateLimitPerMinute,
    timeWindow: 60_000,
    hook: "preValidation",
    cache: 10_000,
    // Retry-After on a 429 only: three X-RateLimit headers on every answer cost more than they tell a browser.
    addHeadersOnExceeding: {
      "x-ratelimit-limit": false,
      "x-ratelimit-remaining": false,
      "x-ratelimit-reset": false,
    },
    addHeaders: { "x-ratelimit-limit": false, "x-ratelimit-remaining": false, "x-ratelimit-reset": false },
    // Key holders: per key and user (one front end speaks for many users); everyone else: per client address,
    // which is the proxy's X-Forwarded-For only under TRUST_PROXY.
    keyGenerator: (request) => {
      if (request.caller?.kind !== "key") return `ip:${normalizeIP(request.ip)}`;
      const user = (request.body as { user?: unknown } | null | undefined)?.user;
      return `key:${request.caller.keyId}:${typeof user === "string" ? user.slice(0, MAX_USER_CHARS) : ""}`;
    },
    errorResponseBuilder: (request, context) =>
      tooManyRequests(request, Math.max(1, Math.ceil(context.ttl / 1000)), CHAT_MESSAGES.rateLimited),
  });
  void app.register((scope, _options, done) => {
    registerOps(scope, { storeUp: deps.storeUp, channels: deps.channels, metrics, access, lifecycle });
    registerConsoleAssets(scope);
    done();
  });
  void app.register((scope, _options, done) => {
    registerApi(scope, { services: deps.services, chat: deps.chat, access }, CHAT_MESSAGES.rateLimited);
    registerConsoleApi(scope, deps.services);
    registerHrRoutes(scope, { services: deps.services });
    done();
  });
  if (deps.webhooks?.length) {
    const webhooks = deps.webhooks;
    void app.register((scope, _options, done) => {
      registerWebhooks(scope, webhooks);
      done();
    });
  }
  return new HttpServer(app, lifecycle);
}
