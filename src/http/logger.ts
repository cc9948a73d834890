// JSON logs (pino, Fastify's logger): one line per request with its id, route and status, and nothing private.
// https://fastify.dev/docs/latest/Reference/Logging/
import { LogController, type FastifyReply, type FastifyRequest } from "fastify";
import { pino, type DestinationStream, type Logger } from "pino";
import { isClientDisconnect } from "./http-errors.ts";

/** Log levels the configuration accepts (LOG_LEVEL). */
export type LogLevel = "debug" | "info" | "warn" | "error" | "silent";

/** Longest path logged: a path can be anything a client sends. */
const MAX_LOGGED_PATH = 200;

/** The path of a request URL: never the query string (`q=` holds questions, `user=` could hold an id). */
function pathOf(url: string | undefined): string {
  const path = (url ?? "").split("?", 1)[0] ?? "";
  return path.length > MAX_LOGGED_PATH ? `${path.slice(0, MAX_LOGGED_PATH)}…` : path;
}

/**
 * What a request line says: method, path, route pattern, client address. Headers (authorization, cookies),
 * query strings and bodies (message text, profile values, user ids) are never serialised.
 */
function requestFields(req: FastifyRequest) {
  return { method: req.method, url: pathOf(req.url), route: req.routeOptions?.url, remoteAddress: req.ip };
}

/**
 * Creates the process's logger at `level`, writing JSON lines to `destination` (default: stderr, so stdout keeps
 * the start-up lines). Redaction is a second line of defence behind the serialisers: a stray `{ headers }`,
 * `{ body }`, `{ text }` or `{ user }` logged by mistake is censored.
 */
export function createLogger(level: LogLevel, destination?: DestinationStream): Logger {
  return pino(
    {
      level,
      serializers: {
        req: requestFields,
        res: (reply: FastifyReply) => ({ statusCode: reply.statusCode }),
        err: pino.stdSerializers.err,
      },
      redact: {
        paths: [
          "headers",
          "req.headers",
          "body",
          "req.body",
          "query",
          "text",
          "user",
          "profile",
          "token",
          "cookie",
          "authorization",
        ],
        censor: "[redacted]",
      },
    },
    destination ?? pino.destination({ fd: 2, sync: false }),
  );
}

/**
 * Fastify's request log lines, adjusted: one line per request at info (on completion, with method, path, route,
 * status and time) instead of two, and a client that hung up is an info line, not an error.
 */
export class HttpLogController extends LogController {
  /** At debug level only (a second line per request is noise in production, a help when tracing one). */
  override incomingRequest(request: FastifyRequest): void {
    if (this.isLogDisabled(request)) return;
    request.log.debug({ req: request }, "incoming request");
  }

  override requestCompleted(
    error: Error | null | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): void {
    if (this.isLogDisabled(request)) return;
    const fields = { req: request, res: reply, responseTime: reply.elapsedTime };
    if (error && !isClientDisconnect(error, request))
      reply.log.error({ ...fields, err: error }, "request errored");
    else reply.log.info(fields, error ? "client disconnected" : "request completed");
  }

  override routeNotFound(request: FastifyRequest): void {
    if (this.isLogDisabled(request)) return;
    request.log.info({ req: request }, "route not found");
  }
}
