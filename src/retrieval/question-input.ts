// Validation of a question before retrieval: a clear Chinese message for input that cannot be a question.
import { RETRIEVAL_TEXT } from "../i18n/retrieval-messages.ts";
import { MAX_QUESTION_CHARS, normalizeQuery } from "./normalize-query.ts";

/**
 * Outcome of checking a question: the question exactly as written (what answers echo and logs keep)
 * and its normalised form (what matching uses), or a code and a Chinese message.
 */
export type QuestionCheck =
  { ok: true; question: string; normalized: string } | { ok: false; code: string; message: string };

const HAS_CJK = /[\u3400-\u9fff\uf900-\ufaff]/u;
const HAS_LETTER_OR_DIGIT = /[\p{L}\p{N}]/u;

/**
 * Checks raw input (a CLI argument, a batch line's `q`, an HTTP parameter). Over-long input is
 * refused from its length alone, before any normalisation, so 100 KB costs nothing. An accepted
 * question comes back unchanged: normalising is for matching only, never for what the user sees.
 */
export function checkQuestion(raw: unknown): QuestionCheck {
  const T = RETRIEVAL_TEXT.input;
  if (typeof raw !== "string") return { ok: false, code: "invalid_question", message: T.notText };
  if (raw.length > MAX_QUESTION_CHARS) {
    return { ok: false, code: "question_too_long", message: T.tooLong(MAX_QUESTION_CHARS) };
  }
  const normalized = normalizeQuery(raw);
  if (normalized === "") return { ok: false, code: "empty_question", message: T.empty };
  if (!HAS_LETTER_OR_DIGIT.test(normalized)) return { ok: false, code: "no_words", message: T.noWords };
  if (!HAS_CJK.test(normalized)) return { ok: false, code: "not_chinese", message: T.latinOnly };
  return { ok: true, question: raw, normalized };
}
