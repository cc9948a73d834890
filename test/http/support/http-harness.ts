// A real listening server for the HTTP tests: the project's services, a store in real Redis under a unique prefix.
import { Writable } from "node:stream";
import { Redis } from "ioredis";
import { loadConfig, type Config } from "../../../src/config.ts";
import { createChat, createServices } from "../../../src/main.ts";
import { chatTurn, type ChatTurnDeps } from "../../../src/app/chat-turn.ts";
import type { Services } from "../../../src/app/services.ts";
import type { ChatHandler } from "../../../src/http/chat-route.ts";
import { createHttpServer, httpSettings, type HttpServer } from "../../../src/http/http-server.ts";
import { createLogger } from "../../../src/http/logger.ts";
import { Metrics } from "../../../src/http/metrics.ts";
import { fixedClock } from "../../../src/shared/clock.ts";
import { deleteKeysUnder, TEST_REDIS_URL, uniquePrefix } from "../../sessions/support/redis-test-prefix.ts";

/** The day every HTTP test runs on. */
export const TEST_INSTANT = "2024-09-01T04:00:00Z";

let built: Promise<Services> | undefined;
/** The notices, index and rules, built once per test file. */
function baseServices(): Promise<Services> {
  built ??= createServices(loadConfig({}), fixedClock(TEST_INSTANT)).then((services) => {
    services.prepare();
    return services;
  });
  return built;
}

export interface TestServer {
  base: string;
  port: number;
  server: HttpServer;
  metrics: Metrics;
  /** JSON log lines the server wrote (level info and above, or debug and above). */
  logs: Array<Record<string, unknown>>;
  /** The raw log text, for "never logs X" checks. */
  logText: () => string;
  close: () => Promise<void>;
}

export interface TestServerOptions {
  /** Environment settings (API_KEYS, METRICS_TOKEN, HTTP_RATE_LIMIT_PER_MINUTE, …). */
  env?: Record<string, string>;
  /** false: behave as a server listening on a public address would (the cookie owns the conversation). */
  listensOnLoopback?: boolean;
  /** A stand-in for the chat turn; default the real one, on a store in Redis under a unique prefix. */
  chat?: ChatHandler;
  /** Redis URL of the store (default the test Redis); a dead port makes the store fail. */
  redisUrl?: string;
  /** Default info; debug adds an "incoming request" line as each request's headers arrive. */
  logLevel?: "debug" | "info";
}

/** Starts a server on 127.0.0.1 and an ephemeral port. */
export async function startServer(options: TestServerOptions = {}): Promise<TestServer> {
  const prefix = uniquePrefix("http");
  // The bench and most tests must not run into the per-client limit; a test of the limit sets its own.
  const config: Config = loadConfig({
    REDIS_URL: options.redisUrl ?? TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    HTTP_RATE_LIMIT_PER_MINUTE: "100000",
    RATE_LIMIT_PER_MINUTE: "100000",
    ...options.env,
  });
  const services = { ...(await baseServices()), config };
  const metrics = new Metrics();
  let chatDeps: ChatTurnDeps | undefined;
  let chat = options.chat;
  if (!chat) {
    chatDeps = await createChat(services);
    const deps = chatDeps;
    chat = metrics.countingTurns((m) => chatTurn(m, deps));
  }
  const logText: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      logText.push(chunk.toString("utf8"));
      done();
    },
  });
  const logger = createLogger(options.logLevel ?? "info", sink);
  const store = chatDeps?.store;
  const server = createHttpServer(
    {
      services,
      chat,
      metrics,
      logger,
      ...(store
        ? {
            storeUp: () =>
              store.ping().then(
                () => true,
                () => false,
              ),
          }
        : {}),
    },
    httpSettings(
      config,
      options.listensOnLoopback === undefined ? {} : { listensOnLoopback: options.listensOnLoopback },
    ),
  );
  const { port } = await server.listen(0, "127.0.0.1");
  return {
    base: `http://127.0.0.1:${port}`,
    port,
    server,
    metrics,
    get logs() {
      return logText
        .join("")
        .split("\n")
        .filter(Boolean)
        .map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    logText: () => logText.join(""),
    close: async () => {
      await server.shutdown(1_000);
      await store?.close();
      const admin = new Redis(TEST_REDIS_URL);
      await deleteKeysUnder(admin, prefix);
      admin.disconnect();
    },
  };
}

/** POST with a JSON body (a string is sent as is). */
export function postJson(
  base: string,
  path: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<Response> {
  return fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
}

/** The `{error:{code,message}}` of a refusal. */
export async function errorOf(res: Response): Promise<{ code: string; message: string }> {
  const body = (await res.json()) as { error?: { code: string; message: string } };
  if (!body.error) throw new Error(`no error in a ${res.status} response: ${JSON.stringify(body)}`);
  return body.error;
}

/** Chinese characters: every message a client gets is in Chinese. */
export const CHINESE = /[\u4e00-\u9fff]/;
