// Picks the sentences of a clause that answer a question (extractive answers).
import type { QueryAnalysis } from "./retriever.ts";
import type { ClauseRetriever } from "./retriever.ts";
import { BIGRAM_PREFIX } from "./tokenizer.ts";

/** Splits clause text into sentences, keeping each sentence's closing punctuation. */
export function splitSentences(text: string): string[] {
  return (text.match(/[^。；;！？!?\n]+[。；;！？!?]?/gu) ?? []).map((s) => s.trim()).filter((s) => s !== "");
}

/** Kinds of answer a question may ask for: the lexicon's answer cues and the exception route. */
function answerKinds(retriever: ClauseRetriever): ReadonlyArray<{ cues: string[]; pattern: string }> {
  const { answerCues, exception } = retriever.data.lexicon;
  return [...answerCues, exception];
}

/** A sentence naming the asked level gains this much; one naming only other levels loses as much. */
const LEVEL_SENTENCE_FACTOR = 1.5;

/** Whether a question asks for a kind of answer (a date, a sum, a phone number…) that the text has. */
export function hasAnswerType(
  text: string,
  analysis: QueryAnalysis,
  retriever: ClauseRetriever,
): boolean | undefined {
  const wanted = answerKinds(retriever).filter(({ cues }) =>
    cues.some((c) => analysis.normalized.includes(c)),
  );
  if (wanted.length === 0) return undefined;
  return wanted.some(({ pattern }) => new RegExp(pattern, "u").test(text));
}

/** How well one sentence answers: the weighted query terms it contains, plus the answer-type bonus. */
export function scoreSentence(sentence: string, analysis: QueryAnalysis, retriever: ClauseRetriever): number {
  let score = 0;
  for (const { term, weight } of analysis.terms) {
    const surface = term.startsWith(BIGRAM_PREFIX) ? term.slice(1) : term;
    if (sentence.toLowerCase().includes(surface)) score += weight * retriever.idf(term);
  }
  for (const { cues, pattern } of answerKinds(retriever)) {
    if (cues.some((c) => analysis.normalized.includes(c)) && new RegExp(pattern, "u").test(sentence))
      score *= 1.5;
  }
  if (analysis.levels !== 0) {
    // "工程师" is a substring of "助理工程师": the term match above cannot tell levels apart, this can.
    const named = retriever.tokenizer.levels.mask(sentence);
    if (named !== 0)
      score *= (named & analysis.levels) !== 0 ? LEVEL_SENTENCE_FACTOR : 1 / LEVEL_SENTENCE_FACTOR;
  }
  return score;
}

/** Sentences shorter than this are a clause's own label ("（二）时间安排。"), not an answer. */
const LABEL_MAX_CHARS = 16;

/** The best-answering sentence of a clause (with the next one when the best is only a label). */
export function answerSentences(
  text: string,
  analysis: QueryAnalysis,
  retriever: ClauseRetriever,
): { text: string; score: number } {
  const sentences = splitSentences(text);
  let best = -1;
  let bestScore = -1;
  sentences.forEach((s, i) => {
    const score = scoreSentence(s, analysis, retriever);
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  if (best < 0) return { text, score: 0 };
  const picked = [sentences[best] ?? ""];
  const next = sentences[best + 1];
  const head = sentences[best] ?? "";
  // A label or a lead-in ("具备下列成果条件:") needs what follows it to say anything.
  if (next && (head.length <= LABEL_MAX_CHARS || /[:：]$/u.test(head))) picked.push(next);
  return { text: picked.join(""), score: bestScore };
}
