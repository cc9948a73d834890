// HR staff sheets over HTTP (the console's 人事批量 page): the empty template, and an uploaded sheet filled in.
// Bounded: the upload's size, its rows, and how far an .xlsx archive may expand (a zip bomb) are all capped.
import { PassThrough, Readable } from "node:stream";
import type { FastifyInstance, FastifyReply } from "fastify";
import type { Services } from "../app/services.ts";
import { runHrBatch, SheetError, writeTemplate } from "../app/hr-batch.ts";
import { checkZipExpansion } from "../app/hr-zip-guard.ts";
import { HR_TEXT } from "../i18n/hr-messages.ts";
import { createErrorHandler, HttpProblem } from "./http-errors.ts";

/** Largest upload accepted (its own limit: the API's other routes take 64 KB). */
export const HR_MAX_UPLOAD_BYTES = 10 * 1024 * 1024;
/** Data rows of one upload; larger staff lists go through `check --batch`. */
export const HR_MAX_ROWS = 20_000;
/** How far an uploaded .xlsx may expand, all entries together. */
export const HR_MAX_EXPANDED_BYTES = 100 * 1024 * 1024;

export const XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";
/** Content types taken as CSV (Windows labels a .csv file application/vnd.ms-excel). */
const CSV_TYPES = ["text/csv", "application/csv", "application/vnd.ms-excel"];
const ZIP_MAGIC = Buffer.from([0x50, 0x4b, 0x03, 0x04]);

type Format = "csv" | "xlsx";
interface FormatQuery {
  format?: Format;
}
const formatSchema = {
  querystring: {
    type: "object",
    properties: { format: { type: "string", enum: ["xlsx", "csv"] } },
    additionalProperties: false,
  },
} as const;

/** Headers of a sheet download: its type, and a file name (ASCII fallback, then the Chinese name). */
function download(reply: FastifyReply, format: Format, name: string, ascii: string): FastifyReply {
  return reply
    .type(format === "xlsx" ? XLSX_TYPE : "text/csv; charset=utf-8")
    .header(
      "content-disposition",
      `attachment; filename="${ascii}.${format}"; filename*=UTF-8''${encodeURIComponent(`${name}.${format}`)}`,
    );
}

/** What an upload is: `?format=` when given, else its content type; application/octet-stream by its first bytes. */
function uploadFormat(contentType: string | undefined, body: Buffer, asked: Format | undefined): Format {
  if (asked) return asked;
  const type = (contentType ?? "").split(";", 1)[0]?.trim().toLowerCase() ?? "";
  if (type === XLSX_TYPE) return "xlsx";
  if (CSV_TYPES.includes(type)) return "csv";
  return body.subarray(0, 4).equals(ZIP_MAGIC) ? "xlsx" : "csv";
}

/** The refusal for a sheet that cannot be used: too big (413) or unreadable (422). */
function sheetProblem(error: SheetError): HttpProblem {
  const status = error.code === "too_many_rows" || error.code === "archive_too_large" ? 413 : 422;
  return new HttpProblem(status, error.code, error.message);
}

/**
 * `GET /api/hr/template?format=xlsx|csv` and `POST /api/hr/check[?format=xlsx|csv]` (body: the sheet's bytes,
 * Content-Type xlsx, text/csv or application/octet-stream), answering the filled sheet in the same format.
 * Registered inside the /api scope, so callers are identified and rate-limited like the other API routes; the
 * upload's content types and size limit stay in this plugin.
 */
export function registerHrRoutes(app: FastifyInstance, deps: { services: Services }): void {
  const uploadErrors = createErrorHandler(HR_MAX_UPLOAD_BYTES);
  void app.register((scope, _options, done) => {
    scope.addContentTypeParser(
      [XLSX_TYPE, ...CSV_TYPES, "application/octet-stream"],
      { parseAs: "buffer", bodyLimit: HR_MAX_UPLOAD_BYTES },
      (_request, body, parsed) => parsed(null, body),
    );

    scope.get<{ Querystring: FormatQuery }>(
      "/api/hr/template",
      { schema: formatSchema },
      async (request, reply) => {
        const format = request.query.format ?? "xlsx";
        const out = new PassThrough();
        const chunks: Buffer[] = [];
        out.on("data", (c: Buffer) => chunks.push(c));
        await writeTemplate(out, format);
        return download(reply, format, "人员表模板", "staff-template").send(Buffer.concat(chunks));
      },
    );

    scope.post<{ Querystring: FormatQuery; Body: unknown }>(
      "/api/hr/check",
      {
        schema: formatSchema,
        bodyLimit: HR_MAX_UPLOAD_BYTES,
        // The framework's 413 names this route's limit, not the API's 64 KB.
        errorHandler: (error, request, reply) => {
          // A body of another type is told what this route takes (the API's own 415 asks for JSON).
          const refused =
            error.code === "FST_ERR_CTP_INVALID_MEDIA_TYPE"
              ? new HttpProblem(415, "unsupported_media_type", HR_TEXT.unsupportedUpload)
              : error;
          void uploadErrors(refused, request, reply);
        },
      },
      async (request, reply) => {
        const body = request.body;
        if (!Buffer.isBuffer(body))
          throw new HttpProblem(415, "unsupported_media_type", HR_TEXT.unsupportedUpload);
        const format = uploadFormat(request.headers["content-type"], body, request.query.format);
        const out = new PassThrough();
        const chunks: Buffer[] = [];
        out.on("data", (c: Buffer) => chunks.push(c));
        try {
          if (format === "xlsx") await checkZipExpansion(body, HR_MAX_EXPANDED_BYTES);
          await runHrBatch({
            input: Readable.from([body]),
            inFormat: format,
            out,
            outFormat: format,
            summary: true,
            check: deps.services.check,
            maxRows: HR_MAX_ROWS,
          });
        } catch (error) {
          if (error instanceof SheetError) throw sheetProblem(error);
          throw error;
        }
        return download(reply, format, "职称评估结果", "zhicheng-results").send(Buffer.concat(chunks));
      },
    );
    done();
  });
}
