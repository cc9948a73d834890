// `ask`: an extractive answer from the best clauses with citations, or an honest "not covered".
import type { KnowledgeBase } from "../knowledge/knowledge-base.ts";
import { REGION_NAMES, type Citation, type Clause, type Region } from "../shared/domain.ts";
import type { AskResult } from "../shared/report.ts";
import { answerSentences, hasAnswerType, splitSentences } from "./answer-sentences.ts";
import type { LlmSynthesizer } from "./llm-synthesis.ts";
import { RETRIEVAL_TEXT } from "./messages.ts";
import { checkQuestion } from "./question-input.ts";
import type { ClauseRetriever, QueryAnalysis, SearchHit } from "./retriever.ts";

/** What `answerQuestion` needs (built once at start-up by the composition root). */
export interface AskDeps {
  kb: KnowledgeBase;
  retriever: ClauseRetriever;
  llm?: LlmSynthesizer | undefined;
}

/** Citations per answer (best first). */
const MAX_CITATIONS = 5;
/**
 * Share of the question's own content words (IDF-weighted) the notices must use at all: below it
 * the question is about something else (cooking, weather) and any "match" would be on filler words.
 */
export const MIN_COVERAGE = 0.34;
/** A second clause joins the answer when its best sentence scores this close to the first's. */
const SECOND_ANSWER_RATIO = 0.8;
/** Clauses considered for "conditions set by a document we do not hold". */
const DELEGATION_SCORE_RATIO = 0.6;

const PHONE = /0\d{2,3}-\d{7,8}/u;

function where(kb: KnowledgeBase, clause: Clause): string {
  const meta = kb.notice(clause.docId)?.meta;
  const doc = meta?.docNumber ?? `《${meta?.title ?? clause.docId}》`;
  return `${doc} ${clause.path}`;
}

/** Contact sentences (those with a phone number) of the notices of some regions. */
export function contactLines(kb: KnowledgeBase, regions: readonly Region[]): string[] {
  const lines: string[] = [];
  for (const notice of kb.notices.values()) {
    if (!regions.includes(notice.meta.region)) continue;
    for (const clause of notice.clauses) {
      for (const s of splitSentences(clause.text))
        if (PHONE.test(s)) lines.push(s.replace(/^[一二三四五六七八九十]+、/u, ""));
    }
  }
  return lines;
}

function refusal(
  deps: AskDeps,
  question: string,
  lead: string,
  regions: readonly Region[],
  citations: Citation[] = [],
): AskResult {
  const contacts = contactLines(deps.kb, regions);
  const where = contacts.length > 0 ? RETRIEVAL_TEXT.askWhere(contacts.join("；")) : RETRIEVAL_TEXT.askLocal;
  return { question, answer: `${lead}${where}`, grounded: false, citations };
}

// Unheld documents a clause delegates conditions to, by number or by the short name it defines.
function delegatedDocuments(deps: AskDeps, clause: Clause): string[] {
  const { unheldDocuments, lexicon } = deps.retriever.data;
  const delegation = new RegExp(lexicon.delegationPattern, "u");
  const found: string[] = [];
  for (const { docNumber } of unheldDocuments) {
    const at = clause.text.indexOf(docNumber);
    if (at < 0) continue;
    const alias = /以下简称《([^》]+)》/u.exec(clause.text.slice(at, at + 60))?.[1];
    const delegates = splitSentences(clause.text).some(
      (s) => delegation.test(s) && (s.includes(docNumber) || (alias !== undefined && s.includes(alias))),
    );
    if (delegates) found.push(docNumber);
  }
  return found;
}

function asksForConditions(deps: AskDeps, analysis: QueryAnalysis): boolean {
  return deps.retriever.data.lexicon.conditionCues.some((c) => analysis.normalized.includes(c));
}

/**
 * The extractive answer (no LLM): refusals first (bad input, places we hold nothing for, questions
 * off the notices' subject, conditions set by an unheld document), then the answering sentences of
 * the best clauses, then citations best first.
 */
export function answerExtractive(question: string, deps: AskDeps): AskResult & { hits: SearchHit[] } {
  const checked = checkQuestion(question);
  const asked = typeof question === "string" ? question : "";
  if (!checked.ok)
    return { question: asked, answer: checked.message, grounded: false, citations: [], hits: [] };
  const { retriever, kb } = deps;
  const analysis = retriever.analyze(checked.question);
  const { held, unheld } = analysis.regions;
  const heldNames = [...new Set([...kb.notices.values()].map((n) => REGION_NAMES[n.meta.region]))].join("、");
  if (unheld.length > 0 && held.length === 0) {
    const lead = RETRIEVAL_TEXT.unheldRegion(unheld.join(RETRIEVAL_TEXT.listSeparator), heldNames);
    return { ...refusal(deps, asked, lead, []), hits: [] };
  }
  const hits = retriever.searchAnalyzed(analysis, { limit: MAX_CITATIONS });
  const top = hits[0];
  if (!top || analysis.coverage < MIN_COVERAGE) {
    return { ...refusal(deps, asked, RETRIEVAL_TEXT.noSources, held), hits: [] };
  }
  const citations = hits.map((h) => kb.cite(h.clause.clauseId));
  if (asksForConditions(deps, analysis)) {
    // The runner-up is looked at only when the best clause does not itself hold the kind of answer asked for.
    const considered =
      hasAnswerType(top.clause.text, analysis, retriever) === true ? [top] : hits.slice(0, 2);
    for (const hit of considered) {
      if (hit.score < DELEGATION_SCORE_RATIO * top.score) continue;
      const docs = delegatedDocuments(deps, hit.clause);
      if (docs.length === 0) continue;
      const region = kb.notice(hit.clause.docId)?.meta.region;
      const lead =
        RETRIEVAL_TEXT.unheldDocument(docs.join(RETRIEVAL_TEXT.listSeparator)) +
        RETRIEVAL_TEXT.referringClause(where(kb, hit.clause), hit.clause.text) +
        "\n";
      const cited = [
        kb.cite(hit.clause.clauseId),
        ...citations.filter((c) => c.clauseId !== hit.clause.clauseId),
      ];
      return { ...refusal(deps, asked, lead, region ? [region] : [], cited), hits };
    }
  }
  const first = answerSentences(top.clause.text, analysis, retriever);
  const parts = [RETRIEVAL_TEXT.answerFrom(where(kb, top.clause), first.text)];
  const second = hits[1];
  if (second && second.clause.docId !== top.clause.docId) {
    const extra = answerSentences(second.clause.text, analysis, retriever);
    if (extra.score >= SECOND_ANSWER_RATIO * first.score)
      parts.push(RETRIEVAL_TEXT.alsoFrom(where(kb, second.clause), extra.text));
  }
  return { question: asked, answer: parts.join("\n"), grounded: true, citations, hits };
}

/**
 * Answers a policy question from the notices. With an LLM configured, a synthesised answer replaces
 * the extractive one only when it passes verification (see llm-synthesis.ts). Never throws.
 */
export async function answerQuestion(question: string, deps: AskDeps): Promise<AskResult> {
  const { hits, ...result } = answerExtractive(question, deps);
  if (!deps.llm || !result.grounded || hits.length === 0) return result;
  const synthesized = await deps.llm.synthesize(
    result.question,
    hits.map((h) => h.clause),
  );
  return synthesized ? { ...result, answer: synthesized } : result;
}
