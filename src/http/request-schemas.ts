// What each route accepts (JSON Schema, checked by Fastify before the handler runs) and its limits.

/** Largest accepted request body: a chat message or one profile, never a document. */
export const MAX_BODY_BYTES = 64 * 1024;
/** Longest chat message. */
export const MAX_TEXT_CHARS = 4_000;
/** Longest message id (contract: at most 128 characters). */
export const MAX_MESSAGE_ID_CHARS = 128;
/** Longest user id a trusted caller may send. */
export const MAX_USER_CHARS = 200;
/** Longest clause query. */
export const MAX_CLAUSE_QUERY_CHARS = 2_000;
/** Longest value of a short query parameter (region, level, date, limit). */
const SHORT = { type: "string", maxLength: 32 } as const;
/** A string with at least one non-space character (reported as "cannot be empty"). */
const NOT_BLANK = "\\S";

/** POST /api/chat: `user` is read only for trusted callers (README "Access"). */
export interface ChatBody {
  user?: string;
  text: string;
  messageId?: string;
}
export const chatSchema = {
  body: {
    type: "object",
    required: ["text"],
    properties: {
      user: { type: "string", minLength: 1, maxLength: MAX_USER_CHARS },
      text: { type: "string", maxLength: MAX_TEXT_CHARS, pattern: NOT_BLANK },
      messageId: { type: "string", minLength: 1, maxLength: MAX_MESSAGE_ID_CHARS },
    },
  },
} as const;

/** GET /api/ask: the question's own checks (length, words) are the application's (checkQuestion). */
export interface AskQuery {
  q: string;
  /** The day the question is asked (contract: it fixes a day-dependent answer). */
  asOf?: string;
}
export const askSchema = {
  querystring: { type: "object", required: ["q"], properties: { q: { type: "string" }, asOf: SHORT } },
} as const;

/** GET /api/clauses */
export interface ClausesQuery {
  q: string;
  limit?: string;
}
export const clausesSchema = {
  querystring: {
    type: "object",
    required: ["q"],
    properties: {
      q: { type: "string", maxLength: MAX_CLAUSE_QUERY_CHARS, pattern: NOT_BLANK },
      limit: SHORT,
    },
  },
} as const;

/** POST /api/check: any JSON object; the profile's own validation answers 422 (contract). */
export const checkSchema = { body: { type: "object" } } as const;

/** GET /api/deadlines: the values are checked by the application's deadline filter. */
export interface DeadlinesQuery {
  region?: string;
  level?: string;
  after?: string;
  format?: "json" | "ics";
}
export const deadlinesSchema = {
  querystring: {
    type: "object",
    properties: {
      region: SHORT,
      level: SHORT,
      after: SHORT,
      format: { type: "string", enum: ["json", "ics"] },
    },
  },
} as const;
