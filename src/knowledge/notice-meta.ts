// The metadata schema of a notice (`knowledge/notices/<docId>.json`), checked at load.
import { z } from "zod";
import { LEVELS, REGION_ID, type NoticeMeta } from "../shared/domain.ts";

export const DOC_ID = /^[a-z0-9]+(-[a-z0-9]+)*$/;

export const noticeMetaSchema = z.object({
  docId: z.string().regex(DOC_ID, "应为小写字母、数字和连字符"),
  title: z.string().min(1),
  docNumber: z.string().min(1).nullable(),
  issuer: z.string().min(1).nullable(),
  date: z
    .string()
    .regex(/^\d{4}(-\d{2}(-\d{2})?)?$/)
    .nullable(),
  effectiveFrom: z
    .string()
    .regex(/^\d{4}-\d{2}-\d{2}$/)
    .optional(),
  // Which regions exist is the regions file's to say (checked by loadKnowledgeBase).
  region: z.string().regex(REGION_ID),
  levels: z.array(z.enum(LEVELS)).min(1),
  kind: z.enum(["measures", "round-notice", "draft"]),
}) satisfies z.ZodType<NoticeMeta>;

/** Thrown when a notice's files are invalid; the message names the file and the field. */
export class NoticeLoadError extends Error {
  constructor(
    readonly file: string,
    readonly field: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(`${file}: ${field}: ${message}`, options);
    this.name = "NoticeLoadError";
  }
}

/** Validates parsed metadata, naming the file and the first invalid field. */
export function parseNoticeMeta(file: string, data: unknown, expectedDocId?: string): NoticeMeta {
  const result = noticeMetaSchema.safeParse(data);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new NoticeLoadError(file, issue?.path.join(".") || "(root)", issue?.message ?? "invalid", {
      cause: result.error,
    });
  }
  if (expectedDocId && result.data.docId !== expectedDocId) {
    throw new NoticeLoadError(file, "docId", `应与文件名一致（${expectedDocId}）`);
  }
  return result.data;
}
