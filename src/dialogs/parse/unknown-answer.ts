// "不知道/不清楚/不确定": the user cannot say; the field is recorded as unknown and not asked again.
const UNKNOWN = /不(?:太|大)?(?:知道|清楚|确定|记得)|记不清|忘了|说不好|不了解|没数|不晓得|跳过|skip|不好说/;

/** True when the message says the user does not know the answer. */
export function isUnknownAnswer(text: string): boolean {
  return text.length <= 40 && UNKNOWN.test(text);
}
