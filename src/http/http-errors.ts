// The HTTP entry point's one error handler: every failure becomes {"error":{"code","message"}} in Chinese.
// Fastify's error codes: https://fastify.dev/docs/latest/Reference/Errors/
import { STATUS_CODES } from "node:http";
import type { Socket } from "node:net";
import type { FastifyError, FastifyReply, FastifyRequest } from "fastify";
import { InvalidOptionError } from "../app/query-options.ts";
import { HTTP_MESSAGES } from "../i18n/http-messages.ts";

/** Headers on every response: no caching of answers about a person, no content sniffing. */
export const COMMON_HEADERS = { "cache-control": "no-store", "x-content-type-options": "nosniff" } as const;

/** A refusal the client gets as is: status, code, Chinese message, and extra body fields or headers. */
export class HttpProblem extends Error {
  override name = "HttpProblem";
  constructor(
    readonly statusCode: number,
    readonly code: string,
    message: string,
    readonly extra: Record<string, unknown> = {},
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
  }

  body(): Record<string, unknown> {
    return { error: { code: this.code, message: this.message }, ...this.extra };
  }
}

/** Socket-level codes of a client that went away: the client's doing, not an error of ours. */
const DISCONNECT_CODES = new Set(["ECONNRESET", "EPIPE", "ECONNABORTED", "ERR_STREAM_PREMATURE_CLOSE"]);

/** Whether `error` only says the client disconnected (a request body cut off, a reset socket). */
export function isClientDisconnect(error: unknown, request?: FastifyRequest): boolean {
  if (request?.raw.aborted === true || request?.raw.socket?.destroyed === true) return true;
  if (!(error instanceof Error)) return false;
  const code = (error as { code?: unknown }).code;
  return (typeof code === "string" && DISCONNECT_CODES.has(code)) || error.message === "aborted";
}

type ValidationIssue = NonNullable<FastifyError["validation"]>[number];

/** A Chinese message for the first schema violation, naming the field (body) or parameter (query string). */
export function validationMessage(issues: readonly ValidationIssue[], context: string | undefined): string {
  const issue = issues[0];
  const where = context === "querystring" ? "参数" : "字段";
  if (!issue) return HTTP_MESSAGES.badRequest;
  const params = issue.params;
  const name = issue.instancePath.replace(/^\//, "").replaceAll("/", ".");
  switch (issue.keyword) {
    case "required":
      return HTTP_MESSAGES.missing(where, String(params.missingProperty));
    case "maxLength":
      return HTTP_MESSAGES.tooLong(where, name, Number(params.limit));
    case "minLength":
    case "pattern":
      return issue.keyword === "minLength" || String(params.pattern) === "\\S"
        ? HTTP_MESSAGES.empty(where, name)
        : HTTP_MESSAGES.invalidValue(where, name);
    case "type":
      return name === ""
        ? HTTP_MESSAGES.bodyNotObject
        : HTTP_MESSAGES.wrongType(where, name, String(params.type));
    case "enum":
      return HTTP_MESSAGES.notOneOf(where, name, (params.allowedValues as unknown[] | undefined) ?? []);
    default:
      return HTTP_MESSAGES.invalidValue(where, name || "?");
  }
}

/** Fastify's own 4xx errors, as codes and Chinese messages. */
function frameworkProblem(error: FastifyError, bodyLimit: number): HttpProblem | undefined {
  switch (error.code) {
    case "FST_ERR_CTP_BODY_TOO_LARGE":
      return new HttpProblem(413, "body_too_large", HTTP_MESSAGES.bodyTooLarge(bodyLimit));
    case "FST_ERR_CTP_INVALID_MEDIA_TYPE":
      return new HttpProblem(415, "unsupported_media_type", HTTP_MESSAGES.unsupportedMediaType);
    case "FST_ERR_CTP_EMPTY_JSON_BODY":
    case "FST_ERR_CTP_INVALID_JSON_BODY":
      return new HttpProblem(400, "invalid_json", HTTP_MESSAGES.invalidJson);
    case "FST_ERR_CTP_INVALID_CONTENT_LENGTH":
      return new HttpProblem(400, "bad_content_length", HTTP_MESSAGES.badContentLength);
    case "FST_ERR_BAD_URL":
    case "FST_ERR_MAX_PARAM_LENGTH":
      return new HttpProblem(400, "bad_url", HTTP_MESSAGES.badUrl);
    default:
      return undefined;
  }
}

/**
 * What the client gets for `error`: the problem itself, a framework or validation error in Chinese, any other
 * 4xx as a generic refusal; anything else is ours, a 500 with the request id as the reference.
 */
export function toProblem(error: unknown, requestId: string, bodyLimit: number): HttpProblem {
  if (error instanceof HttpProblem) return error;
  // Its message names the parameter as a URL spells it: 参数 limit 无效：应为 1–100 的整数
  if (error instanceof InvalidOptionError) return new HttpProblem(400, "invalid_parameter", error.message);
  const fastifyError = error as Partial<FastifyError>;
  if (fastifyError.validation)
    return new HttpProblem(
      400,
      "invalid_request",
      validationMessage(fastifyError.validation, fastifyError.validationContext),
    );
  const framework = frameworkProblem(error as FastifyError, bodyLimit);
  if (framework) return framework;
  const status = fastifyError.statusCode;
  if (typeof status === "number" && status >= 400 && status < 500)
    return new HttpProblem(status, "bad_request", HTTP_MESSAGES.badRequest);
  return new HttpProblem(500, "internal_error", HTTP_MESSAGES.internalError(requestId));
}

/** Fastify's error handler: the client gets {@link toProblem}; only our own failures are logged as errors. */
export function createErrorHandler(bodyLimit: number) {
  return (error: FastifyError, request: FastifyRequest, reply: FastifyReply): FastifyReply => {
    const problem = toProblem(error, request.id, bodyLimit);
    if (isClientDisconnect(error, request)) {
      request.log.info({ code: error.code ?? error.name }, "client disconnected");
    } else if (problem.statusCode >= 500) {
      request.log.error({ err: error }, "request failed");
    } else {
      // The code only: parser messages can quote the request body.
      request.log.info({ code: problem.code, status: problem.statusCode }, "request refused");
    }
    // Framework errors (a bad URL) arrive before the hooks that set the common headers.
    return reply
      .code(problem.statusCode)
      .headers(COMMON_HEADERS)
      .headers(problem.headers)
      .send(problem.body());
  };
}

/**
 * Node's `clientError`: a request Node could not parse (bad request line, huge headers, headers or body too
 * slow). Answered in Chinese on the raw socket, which is then closed.
 * https://nodejs.org/api/http.html#event-clienterror
 */
export function createClientErrorHandler(onRefused: (status: number, code: string) => void) {
  return (error: Error & { code?: string }, socket: Socket): void => {
    if (error.code === "ECONNRESET" || socket.destroyed) return;
    const [status, message] =
      error.code === "ERR_HTTP_REQUEST_TIMEOUT"
        ? [408, HTTP_MESSAGES.requestTimeout]
        : error.code === "HPE_HEADER_OVERFLOW"
          ? [431, HTTP_MESSAGES.headersTooLarge]
          : [400, HTTP_MESSAGES.malformedRequest];
    onRefused(status, error.code ?? "unknown");
    // Only when nothing was written yet: a half-sent response must not get a second status line.
    if (socket.writable && socket.bytesWritten === 0) {
      const code =
        status === 408 ? "request_timeout" : status === 431 ? "headers_too_large" : "malformed_request";
      const body = JSON.stringify({ error: { code, message } });
      socket.write(
        `HTTP/1.1 ${status} ${STATUS_CODES[status]}\r\nContent-Type: application/json; charset=utf-8\r\n` +
          `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
      );
    }
    socket.destroy();
  };
}
