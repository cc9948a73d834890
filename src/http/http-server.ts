// The HTTP API and web console (contract: HTTP under `serve`), on node:http with no framework.
import { randomUUID } from "node:crypto";
import { readFileSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { Services } from "../cli/services.ts";
import { deadlineFilter } from "../cli/commands/deadlines-command.ts";
import { parseLimit } from "../cli/commands/clause-command.ts";
import { HTTP_MESSAGES } from "../i18n/http-messages.ts";
import { Metrics } from "./metrics.ts";

/** One chat turn as the HTTP API takes it; the composition root wires it to sessions and the dialog. */
export type ChatHandler = (msg: { user: string; text: string; messageId?: string }) => Promise<{
  replies: Array<{ text: string; citations?: unknown[]; choices?: string[] }>;
}>;

export interface HttpDeps {
  services: Services;
  chat?: ChatHandler;
  /** Logs one line per failure; never request bodies (they may hold profile values). */
  log?: (line: string) => void;
  /** Whether the session store answers (GET /healthz reports 503 when it does not). */
  storeUp?: () => Promise<boolean>;
}

/** Largest accepted request body: a chat message or one profile, never a document. */
export const MAX_BODY_BYTES = 256 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const WEB_PAGE = readFileSync(new URL("./public/index.html", import.meta.url), "utf8");

/** Past this much, an oversized body is cut off instead of drained. */
const DRAIN_LIMIT_BYTES = 16 * MAX_BODY_BYTES;

async function readJson(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    // Keep reading (and discarding) a moderately oversized body so the client can read our 413
    // instead of a reset connection; beyond the drain limit, stop reading.
    if (size > DRAIN_LIMIT_BYTES) break;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  }
  if (size > MAX_BODY_BYTES) throw new HttpError(413, "body_too_large", HTTP_MESSAGES.bodyTooLarge);
  let value: unknown;
  try {
    value = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  } catch {
    throw new HttpError(400, "invalid_json", HTTP_MESSAGES.invalidJson);
  }
  if (!value || typeof value !== "object" || Array.isArray(value))
    throw new HttpError(400, "invalid_json", HTTP_MESSAGES.invalidJson);
  return value as Record<string, unknown>;
}

function send(
  res: ServerResponse,
  status: number,
  body: unknown,
  type = "application/json; charset=utf-8",
): void {
  const text = typeof body === "string" ? body : JSON.stringify(body);
  res.writeHead(status, {
    "content-type": type,
    "cache-control": "no-store",
    "x-content-type-options": "nosniff",
  });
  res.end(text);
}

function requireString(value: unknown, field: string, max: number): string {
  if (typeof value !== "string" || !value.trim())
    throw new HttpError(400, "missing_field", HTTP_MESSAGES.missingField(field));
  if (value.length > max) throw new HttpError(400, "field_too_long", HTTP_MESSAGES.fieldTooLong(field, max));
  return value;
}

type Route = (req: IncomingMessage, url: URL) => Promise<[number, unknown, string?]>;

function routes(deps: HttpDeps, metrics: Metrics): Record<string, Route> {
  const { services } = deps;
  return {
    "GET /": () => Promise.resolve([200, WEB_PAGE, "text/html; charset=utf-8"]),
    "GET /healthz": async () => {
      const store = deps.storeUp ? ((await deps.storeUp()) ? "up" : "down") : "none";
      return [store === "down" ? 503 : 200, { ok: store !== "down", store }];
    },
    "GET /metrics": () => Promise.resolve([200, metrics.render(), "text/plain; version=0.0.4"]),
    "GET /api/ask": async (_req, url) => {
      const checked = services.checkQuestion(url.searchParams.get("q") ?? "");
      if (!checked.ok) throw new HttpError(400, checked.code, checked.message);
      return [200, await services.ask(checked.question)];
    },
    "GET /api/clauses": (_req, url) => {
      const q = requireString(url.searchParams.get("q") ?? "", "q", 2000);
      const limit = parseLimit(url.searchParams.get("limit") ?? undefined);
      return Promise.resolve([200, services.clauses(q, limit)]);
    },
    "POST /api/check": async (req) => {
      const report = services.check(await readJson(req));
      return [200, report];
    },
    "GET /api/deadlines": (_req, url) => {
      const p = url.searchParams;
      const filter = deadlineFilter({
        region: p.get("region") ?? undefined,
        level: p.get("level") ?? undefined,
        after: p.get("after") ?? undefined,
      });
      const deadlines = services.deadlines(filter);
      if (p.get("format") === "ics")
        return Promise.resolve([200, services.ics(deadlines), "text/calendar; charset=utf-8"]);
      return Promise.resolve([200, { deadlines }]);
    },
    "POST /api/chat": async (req) => {
      if (!deps.chat) throw new HttpError(503, "chat_unavailable", HTTP_MESSAGES.chatUnavailable);
      const body = await readJson(req);
      const user = requireString(body.user, "user", 200);
      const text = typeof body.text === "string" ? body.text : "";
      const messageId = typeof body.messageId === "string" && body.messageId ? body.messageId : undefined;
      return [200, await deps.chat({ user, text, ...(messageId ? { messageId } : {}) })];
    },
  };
}

/** Builds the server (not listening). One error handler: Chinese message + reference id; detail to the log. */
export function createHttpServer(deps: HttpDeps): Server {
  const metrics = new Metrics();
  const table = routes(deps, metrics);
  return createServer((req, res) => {
    const started = performance.now();
    const url = new URL(req.url ?? "/", "http://localhost");
    const key = `${req.method ?? "GET"} ${url.pathname}`;
    const route = table[key];
    const routeName = route ? url.pathname : "other";
    const finish = (status: number, body: unknown, type?: string) => {
      send(res, status, body, type);
      metrics.observe(routeName, status, performance.now() - started);
    };
    if (!route) {
      finish(404, { error: { code: "not_found", message: HTTP_MESSAGES.notFound } });
      return;
    }
    route(req, url).then(
      ([status, body, type]) => finish(status, body, type),
      (err: unknown) => {
        if (err instanceof HttpError)
          return finish(err.status, { error: { code: err.code, message: err.message } });
        if (err instanceof RangeError)
          return finish(400, { error: { code: "bad_request", message: err.message } });
        const ref = randomUUID().slice(0, 8);
        deps.log?.(
          `[${ref}] ${key} failed: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`,
        );
        finish(500, { error: { code: "internal_error", message: HTTP_MESSAGES.internalError(ref) } });
      },
    );
  });
}
