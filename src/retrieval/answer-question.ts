// `ask`: an extractive answer from the best clauses with citations, or an honest "not covered".
import type { KnowledgeBase } from "../knowledge/knowledge-base.ts";
import { REGION_NAMES } from "../shared/domain.ts";
import type { AskResult } from "../shared/report.ts";
import {
  answerSentences,
  hasAnswerType,
  kindsGiven,
  scoreSentence,
  splitSentences,
} from "./answer-sentences.ts";
import { clauseLocation } from "./clause-location.ts";
import { HEADER_FACTOR } from "./clause-priors.ts";
import { enumerateList } from "./enumerate-list.ts";
import type { LlmSynthesizer } from "./llm-synthesis.ts";
import { RETRIEVAL_TEXT } from "../i18n/retrieval-messages.ts";
import { checkQuestion } from "./question-input.ts";
import { amountRefusal, delegationRefusal, missingSubject, offTopic, refusal } from "./refusals.ts";
import { uncoveredTopic } from "./topic-guard.ts";
import { closedRoundNote, uncoveredYear, type AskTiming } from "./round-timing.ts";
import type { QueryAnalysis } from "./query-analysis.ts";
import type { ClauseRetriever, SearchHit } from "./retriever.ts";

export { contactLines, MIN_COVERAGE } from "./refusals.ts";

/** What `answerQuestion` needs (built once at start-up by the composition root). */
export interface AskDeps {
  kb: KnowledgeBase;
  retriever: ClauseRetriever;
  llm?: LlmSynthesizer | undefined;
  /**
   * The day asked and the rounds judged on it: answers then say when every round concerned is over, and
   * refuse years no held notice covers. Absent: answers say nothing about time.
   */
  timing?: AskTiming | undefined;
}

/** Citations per answer (best first). */
const MAX_CITATIONS = 5;
/** A second clause joins the answer when its best sentence scores this close to the first's. */
const SECOND_ANSWER_RATIO = 0.8;
/**
 * A clause holding the kind of answer asked for (a date for 什么时候, a phone number for 电话) overtakes a
 * better-matching one without it when it scores at least this share of the best: the words say what
 * the question is about, the answer type says which clause can actually answer it.
 */
const ANSWER_TYPE_RATIO = 0.5;

/**
 * When the best hit lacks the asked kind of answer, the hit of the same notice whose answering sentence
 * (one that has that kind) best matches the question goes first (see ANSWER_TYPE_RATIO). A header line competes at
 * its unreduced score: the date line is the answer to "什么时候发布的".
 */
function preferAnswerType(deps: AskDeps, analysis: QueryAnalysis, hits: SearchHit[]): SearchHit[] {
  const { retriever } = deps;
  const top = hits[0];
  if (!top || hasAnswerType(top.clause.text, analysis, retriever, true) !== false) return hits;
  // Within the best hit's notice: the words and the asked level chose the notice, the answer type only
  // picks the clause in it. A notice with no such answer anywhere (no organiser named for 谁组织)
  // cannot answer it, so then a close hit of another notice that does ("…仍由省经信厅统一组织") may.
  const sameNotice = (h: SearchHit): boolean => h.clause.docId === top.clause.docId;
  const noticeAnswers = (deps.kb.notice(top.clause.docId)?.clauses ?? []).some(
    (c) => hasAnswerType(c.text, analysis, retriever, true) === true,
  );
  const best = answeringHit(retriever, analysis, hits, noticeAnswers ? sameNotice : () => true);
  const chosen = best === undefined ? undefined : hits[best];
  return chosen ? [chosen, ...hits.filter((_, k) => k !== best)] : hits;
}

// The index of the hit (not the first, scoring at least ANSWER_TYPE_RATIO of it) whose sentence with the
// asked kind of answer best matches the question, among those `eligible` admits.
function answeringHit(
  retriever: ClauseRetriever,
  analysis: QueryAnalysis,
  hits: readonly SearchHit[],
  eligible: (hit: SearchHit) => boolean,
): number | undefined {
  const top = hits[0];
  if (!top) return undefined;
  let best: number | undefined;
  // Below zero: a contact line sharing no word with the question ("张群颖0571-…") still answers 电话.
  let bestScore = -1;
  // A kind that a notice states in one place (its contact clause) may lift a clause from further down: each
  // sentence may come from as far down as the most lenient kind it gives allows.
  hits.forEach((h, k) => {
    const score = retriever.isHeader(h.clause) ? h.score / HEADER_FACTOR : h.score;
    if (k === 0 || !eligible(h)) return;
    for (const s of splitSentences(h.clause.text)) {
      const given = kindsGiven(s, analysis, retriever);
      if (given.length === 0) continue;
      const ratio = Math.min(...given.map((g) => g.minShare ?? ANSWER_TYPE_RATIO));
      if (score < Math.min(ratio, ANSWER_TYPE_RATIO) * top.score) continue;
      const fit = scoreSentence(s, analysis, retriever);
      if (fit > bestScore) {
        best = k;
        bestScore = fit;
      }
    }
  });
  return best;
}

/** Notices named by number: candidates searched among all clauses before keeping theirs. */
const NAMED_NOTICE_POOL = 50;

/**
 * The ranked candidates. A question naming a held notice by its number is answered from that notice; when
 * nothing but the number matches, its words rank (the notice's date line, its title…).
 */
function rankedHits(retriever: ClauseRetriever, analysis: QueryAnalysis): SearchHit[] {
  const limit = 2 * MAX_CITATIONS;
  const named = analysis.namedNotices;
  if (named.length === 0) return retriever.searchAnalyzed(analysis, { limit });
  const inNamed = (hits: SearchHit[]): SearchHit[] =>
    hits.filter((h) => named.includes(h.clause.docId)).slice(0, limit);
  const ranked = inNamed(retriever.searchAnalyzed(analysis, { limit: NAMED_NOTICE_POOL }));
  if (ranked.length > 0) return ranked;
  const withNumber = { ...analysis, terms: [...analysis.terms, ...analysis.numberTerms] };
  return inNamed(retriever.searchAnalyzed(withNumber, { limit: NAMED_NOTICE_POOL }));
}

/**
 * The extractive answer (no LLM): refusals first (bad input, places we hold nothing for, questions
 * off the notices' subject, conditions set by an unheld document), then the answering sentences of
 * the best clauses, then citations best first.
 */
export function answerExtractive(
  question: string,
  deps: AskDeps,
): AskResult & { hits: SearchHit[]; note?: string } {
  const checked = checkQuestion(question);
  const asked = typeof question === "string" ? question : "";
  if (!checked.ok)
    return { question: asked, answer: checked.message, grounded: false, citations: [], hits: [] };
  const { retriever, kb } = deps;
  const analysis = retriever.analyze(checked.normalized);
  const { held, unheld } = analysis.regions;
  const heldNames = [...new Set([...kb.notices.values()].map((n) => REGION_NAMES[n.meta.region]))].join("、");
  if (unheld.length > 0 && held.length === 0) {
    const lead = RETRIEVAL_TEXT.unheldRegion(unheld.join(RETRIEVAL_TEXT.listSeparator), heldNames);
    return { ...refusal(deps, asked, lead, []), hits: [] };
  }
  const topic = uncoveredTopic(deps, analysis);
  if (topic !== undefined)
    return { ...refusal(deps, asked, RETRIEVAL_TEXT.uncoveredTopic(topic), held), hits: [] };
  // A few more candidates than are cited, so that one holding the asked kind of answer can move up.
  const ranked = rankedHits(retriever, analysis);
  const hits = preferAnswerType(deps, analysis, ranked).slice(0, MAX_CITATIONS);
  const top = hits[0];
  if (!top || offTopic(deps, analysis)) {
    return { ...refusal(deps, asked, RETRIEVAL_TEXT.noSources, held), hits: [] };
  }
  const year = uncoveredYear(kb, retriever, deps.timing, analysis, top.clause.docId);
  if (year !== undefined) {
    const region = kb.notice(top.clause.docId)?.meta.region;
    const regions = held.length > 0 ? held : region ? [region] : [];
    return { ...refusal(deps, asked, year, regions), hits: [] };
  }
  const missing = missingSubject(deps, analysis, top);
  if (missing !== undefined) {
    const names = held.map((r) => REGION_NAMES[r]).join(RETRIEVAL_TEXT.listSeparator);
    return { ...refusal(deps, asked, RETRIEVAL_TEXT.regionLacks(names, missing), held), hits: [] };
  }
  const noSum = amountRefusal(deps, analysis, asked);
  if (noSum) return { ...noSum, hits: [] };
  const delegated = delegationRefusal(deps, analysis, hits, asked);
  if (delegated) return { ...delegated, hits };
  const citations = hits.map((h) => kb.cite(h.clause.clauseId));
  // Every round the question concerns is over on the day asked: the answer says so, last.
  const closed = closedRoundNote(kb, retriever, deps.timing, analysis, top.clause.docId);
  const withNote = (answer: string): string => (closed === undefined ? answer : `${answer}\n${closed}`);
  const note = closed === undefined ? {} : { note: closed };
  const list = enumerateList(deps, analysis, hits, citations, MAX_CITATIONS);
  if (list) {
    // The listed clauses are what an LLM should rephrase, in the notice's order.
    const listHits = list.listed.map((clause) => ({ clause, score: top.score }));
    return {
      question: asked,
      answer: withNote(list.answer),
      grounded: true,
      citations: list.citations,
      hits: listHits,
      ...note,
    };
  }
  const first = answerSentences(top.clause.text, analysis, retriever);
  const parts = [RETRIEVAL_TEXT.answerFrom(clauseLocation(kb, top.clause), first.text)];
  const second = hits[1];
  if (second && second.clause.docId !== top.clause.docId) {
    const extra = answerSentences(second.clause.text, analysis, retriever);
    if (extra.score >= SECOND_ANSWER_RATIO * first.score)
      parts.push(RETRIEVAL_TEXT.alsoFrom(clauseLocation(kb, second.clause), extra.text));
  }
  return { question: asked, answer: withNote(parts.join("\n")), grounded: true, citations, hits, ...note };
}

/**
 * Answers a policy question from the notices. With an LLM configured, a synthesised answer replaces
 * the extractive one only when it passes verification (see llm-synthesis.ts). Never throws.
 */
export async function answerQuestion(question: string, deps: AskDeps): Promise<AskResult> {
  const { hits, note, ...result } = answerExtractive(question, deps);
  if (!deps.llm || !result.grounded || hits.length === 0) return result;
  const synthesized = await deps.llm.synthesize(
    result.question,
    hits.map((h) => h.clause),
  );
  // The closed-round note is about the day, not the clauses: it follows a synthesised answer too.
  if (!synthesized) return result;
  return { ...result, answer: note === undefined ? synthesized : `${synthesized}\n${note}` };
}
