// Which event a dated clause speaks of: the graduation, the title held, or the start of work in the specialty.
import type { ProfileField } from "../../shared/profile.ts";

/** The fields a date can belong to. */
export type DateField = "graduated" | "specialtyWorkSince" | "currentTitle";

/** The field a dated clause speaks of, from its words, else from the pending question. */
export function dateFieldOf(
  clause: string,
  hasCurrentTitle: boolean,
  pending: ProfileField | undefined,
): DateField | undefined {
  if (/毕业|毕的业|毕了业|学历|学位|拿到文凭/.test(clause)) return "graduated";
  if (hasCurrentTitle || /取得|评上|拿到|获得|职称|评的|拿的|评了|拿了|下来的/.test(clause))
    return "currentTitle";
  if (/开始|起|入行|从事|做|干|参加工作|入职|工作|搞/.test(clause)) return "specialtyWorkSince";
  if (pending === "graduated" || pending === "specialtyWorkSince" || pending === "currentTitle")
    return pending;
  return undefined;
}
