// Whether a title mention names the level applied for ("能评高工吗") or the title held ("我是中级").
import type { TitleMention } from "./title-level.ts";

/** The role of a title mention in its sentence, when the words around it say. */
export type TitleRole = "target" | "current";

// "2018年评了工程师", "19年拿的中级": a title already obtained, though 评 and 拿 also start a wish.
const PAST_BEFORE =
  /(?:评了|评上了?|评过|拿了|拿到了?|拿的|评的|取得了?|取得的|获得了?|考了|考过|考的|下来了?|已经|早就)[^，,。；;]{0,2}$/;
const TARGET_BEFORE =
  /(?:评|申报|申请|报|冲|考|想|能否|能不能|可以|可否|升|够|参评|晋升|达到)[^，,。；;]{0,3}$/;
const CURRENT_BEFORE = /(?:是|有|已|现|取得|拿到|获得|持有|目前|当前|评上|评了|拿了)[^，,。；;]{0,3}$/;
const CURRENT_AFTER = /^[^，,。；;]{0,10}(?:取得|拿到|获得|评上|评的|拿的|证书)/;
const TARGET_AFTER = /^[^，,。；;]{0,3}(?:吗|么|行不行|可以吗|能评|资格|条件|够不够)/;

/** Reads the words around a mention; undefined when they do not say. */
export function titleRole(text: string, mention: TitleMention): TitleRole | undefined {
  if (mention.level === "none") return "current";
  const before = text.slice(Math.max(0, mention.index - 8), mention.index);
  const after = text.slice(mention.end, mention.end + 8);
  if (CURRENT_AFTER.test(after)) return "current";
  if (PAST_BEFORE.test(before)) return "current";
  if (TARGET_BEFORE.test(before)) return "target";
  if (CURRENT_BEFORE.test(before)) return "current";
  if (TARGET_AFTER.test(after)) return "target";
  return undefined;
}
