// The /api scope: who is calling, the per-client rate limit, and the lookups (ask, clauses, check, deadlines).
import type { FastifyInstance, FastifyRequest } from "fastify";
import { deadlineFilter, parseAsOf, parseLimit } from "../app/query-options.ts";
import type { Services } from "../app/services.ts";
import { HTTP_MESSAGES } from "../i18n/http-messages.ts";
import type { Access } from "./access.ts";
import { registerChatRoute, type ChatHandler } from "./chat-route.ts";
import { HttpProblem } from "./http-errors.ts";
import {
  askSchema,
  checkSchema,
  clausesSchema,
  deadlinesSchema,
  type AskQuery,
  type ClausesQuery,
  type DeadlinesQuery,
} from "./request-schemas.ts";

export interface ApiDeps {
  services: Services;
  chat?: ChatHandler | undefined;
  access: Access;
}

/** A 429 for a caller over the per-client limit; /api/chat callers also get the polite text as a reply. */
export function tooManyRequests(
  request: FastifyRequest,
  retryAfterSeconds: number,
  chatText: string,
): HttpProblem {
  const extra = request.routeOptions.url === "/api/chat" ? { replies: [{ text: chatText }] } : {};
  return new HttpProblem(429, "rate_limited", HTTP_MESSAGES.tooManyRequests(retryAfterSeconds), extra, {
    "retry-after": String(retryAfterSeconds),
  });
}

/**
 * Registers the /api routes and their hooks: the caller is identified from the Authorization header before the
 * body is read (a wrong key is 401 at once, and still counts against the client address's rate limit); the rate
 * limit runs once the body is parsed, because a key holder's budget is per key and user.
 */
export function registerApi(app: FastifyInstance, deps: ApiDeps, chatRateLimitedText: string): void {
  const { services, access } = deps;
  const limitWrongKey = app.createRateLimit();
  app.decorateRequest("caller", null);
  // A callback hook, not an async one: no promise per request on the common path.
  app.addHook("onRequest", (request, _reply, done) => {
    const caller = access.identify(request);
    request.caller = caller;
    if (caller.kind !== "wrong-key") return done();
    limitWrongKey(request).then(
      (limit) =>
        done(
          !limit.isAllowed && limit.isExceeded
            ? tooManyRequests(request, limit.ttlInSeconds, chatRateLimitedText)
            : new HttpProblem(
                401,
                "unauthorized",
                HTTP_MESSAGES.unauthorized,
                {},
                { "www-authenticate": "Bearer" },
              ),
        ),
      (error: Error) => done(error),
    );
  });
  app.addHook("preValidation", app.rateLimit());

  app.get<{ Querystring: AskQuery }>("/api/ask", { schema: askSchema }, async (request) => {
    const asOf = parseAsOf(request.query.asOf);
    const checked = services.checkQuestion(request.query.q);
    if (!checked.ok) throw new HttpProblem(400, checked.code, checked.message);
    return services.ask(checked.question, asOf);
  });

  app.get<{ Querystring: ClausesQuery }>("/api/clauses", { schema: clausesSchema }, (request) =>
    Promise.resolve(services.clauses(request.query.q, parseLimit(request.query.limit))),
  );

  app.post<{ Body: unknown }>("/api/check", { schema: checkSchema }, (request, reply) => {
    const report = services.check(request.body);
    // An invalid profile is a well-formed request the application cannot use: 422 (contract).
    if ("error" in report) void reply.code(422);
    return Promise.resolve(report);
  });

  app.get<{ Querystring: DeadlinesQuery }>(
    "/api/deadlines",
    { schema: deadlinesSchema },
    (request, reply) => {
      const { region, level, after, format } = request.query;
      const deadlines = services.deadlines(deadlineFilter({ region, level, after }));
      if (format !== "ics") return Promise.resolve({ deadlines });
      void reply.type("text/calendar; charset=utf-8");
      return Promise.resolve(services.ics(deadlines));
    },
  );

  registerChatRoute(app, access, deps.chat);
}
