// "不知道/不清楚/不确定": the user cannot say; the field is recorded as unknown and not asked again.
import { LEXICON } from "../dialog-lexicon.ts";

/** True when the message says the user does not know the answer. */
export function isUnknownAnswer(text: string): boolean {
  return text.length <= 40 && LEXICON.unknown.test(text);
}
