// Which profile field a phrase names ("改一下学历" → education), for corrections and re-asking (words: the dialog lexicon).
import type { ProfileField } from "../../shared/profile.ts";
import { LEXICON } from "../dialog-lexicon.ts";

/** The field named in the text, if any (the lexicon lists "申报级别" before "职称", "毕业时间" before "时间"). */
export function fieldMentioned(text: string): ProfileField | undefined {
  for (const [pattern, field] of LEXICON.fieldWords) if (pattern.test(text)) return field;
  return undefined;
}

/** "改一下学历", "学历填错了": the field the user wants to fill in again, when no new value is given. */
export function fieldToEdit(text: string): ProfileField | undefined {
  if (!LEXICON.edit.test(text)) return undefined;
  return fieldMentioned(text);
}

/** "不对，…", "说错了，…": the message corrects what was recorded. */
export function isCorrection(text: string): boolean {
  return LEXICON.correction.test(text);
}
