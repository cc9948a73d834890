// `ask`: an extractive answer from the best clauses with citations, or an honest "not covered".
import type { KnowledgeBase } from "../knowledge/knowledge-base.ts";
import { REGION_NAMES, type Citation, type Clause, type Region } from "../shared/domain.ts";
import type { AskResult } from "../shared/report.ts";
import { answerSentences, hasAnswerType, splitSentences } from "./answer-sentences.ts";
import type { LlmSynthesizer } from "./llm-synthesis.ts";
import { RETRIEVAL_TEXT } from "../i18n/retrieval-messages.ts";
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

/** Hits (by score, relative to the best) whose headings may name the list a question asks for. */
const LIST_SCORE_RATIO = 0.8;
/** Longest item line of an enumerated answer. */
const LIST_ITEM_MAX_CHARS = 60;

const OWN_NUMBER = /^[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*/u;

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

// A clause's label: its first phrase ("五、评审程序", "(一)个人申报").
function labelOf(clause: Clause): string {
  return (clause.text.split(/[。；;：:\n]/u)[0] ?? clause.text).trim();
}

// The words naming the list a question asks for (哪些程序, 流程是什么), if it asks for one.
function askedList(deps: AskDeps, analysis: QueryAnalysis): readonly string[] | undefined {
  const { cues, lists } = deps.retriever.data.lexicon.enumeration;
  if (!cues.some((c) => analysis.normalized.includes(c))) return undefined;
  return lists.find((group) => group.some((w) => analysis.normalized.includes(w)));
}

/**
 * The heading whose items answer a list question: walking up from the best hits, the first clause
 * whose label names the list decides. A heading with items is enumerated; a clause naming the list
 * in its own text ("（一）申报流程。市本级…") answers by itself, so there is nothing to enumerate.
 */
function listHeading(
  deps: AskDeps,
  hits: readonly SearchHit[],
  words: readonly string[],
): Clause | undefined {
  const best = hits[0]?.score ?? 0;
  for (const hit of hits) {
    if (hit.score < LIST_SCORE_RATIO * best) break;
    for (let node: Clause | undefined = hit.clause; node; node = deps.retriever.parentOf(node)) {
      const label = labelOf(node);
      if (!words.some((w) => label.includes(w))) continue;
      return deps.retriever.childrenOf(node).length >= 2 ? node : undefined;
    }
  }
  return undefined;
}

// The items of a heading in notice order, each by its first sentence, and their citations.
function enumerate(
  deps: AskDeps,
  heading: Clause,
  citations: readonly Citation[],
): { answer: string; citations: Citation[]; listed: Clause[] } {
  const { kb, retriever } = deps;
  const items = retriever.childrenOf(heading);
  const lines = items.map((c) => {
    // Up to the first full stop: an item's alternatives ("…国家标准;或…地方标准") belong together.
    const first = (c.text.split(/(?<=[。！？\n])/u)[0] ?? c.text).trim();
    return first.length > LIST_ITEM_MAX_CHARS ? `${first.slice(0, LIST_ITEM_MAX_CHARS)}…` : first;
  });
  // A heading that says more than a name ("具备下列条件之一,可不受学历…限制:") is cited before its items.
  const listed = [...(retriever.isBareHeading(heading) ? [] : [heading]), ...items];
  const cited = listed.map((c) => kb.cite(c.clauseId));
  const rest = citations.filter((c) => !listed.some((l) => l.clauseId === c.clauseId));
  return {
    // The path already carries the heading's own number ("五、"): the label goes without it.
    answer: RETRIEVAL_TEXT.listFrom(where(kb, heading), labelOf(heading).replace(OWN_NUMBER, ""), lines),
    citations: [...cited, ...rest].slice(0, Math.max(MAX_CITATIONS, cited.length)),
    listed,
  };
}

// An exception or alternative route that a clause states itself ("未达到…条件，但…也可申报"), in a
// sentence that does not just delegate to another document.
function statesException(deps: AskDeps, clause: Clause): boolean {
  const { exception, delegationPattern } = deps.retriever.data.lexicon;
  const route = new RegExp(exception.pattern, "u");
  const delegation = new RegExp(delegationPattern, "u");
  return splitSentences(clause.text).some((s) => route.test(s) && !delegation.test(s));
}

function asksForException(deps: AskDeps, analysis: QueryAnalysis): boolean {
  return deps.retriever.data.lexicon.exception.cues.some((c) => analysis.normalized.includes(c));
}

// Whether a clause's label names a condition word the question uses ("二、申报条件" for 申报条件有哪些).
function namesAskedConditions(deps: AskDeps, analysis: QueryAnalysis, clause: Clause): boolean {
  const label = labelOf(clause);
  return deps.retriever.data.lexicon.conditionCues.some(
    (c) => analysis.normalized.includes(c) && label.includes(c),
  );
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
    // The runner-up is looked at only when the best clause does not itself hold the kind of answer
    // asked for; so is a clause titled with the very conditions asked about ("二、申报条件"), however
    // it ranks: the level named in the question may have pulled a clause mentioning that level above it.
    const titled = (h: SearchHit): boolean => namesAskedConditions(deps, analysis, h.clause);
    const considered =
      hasAnswerType(top.clause.text, analysis, retriever) === true
        ? [top]
        : [...hits.slice(0, 2), ...hits.slice(2).filter(titled)];
    const exception = asksForException(deps, analysis);
    for (const hit of considered) {
      if (hit.score < DELEGATION_SCORE_RATIO * top.score && !titled(hit)) continue;
      // "没达到学历资历条件还能申报吗" asks about the route the held clause states, not the conditions.
      if (exception && statesException(deps, hit.clause)) continue;
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
  const list = askedList(deps, analysis);
  const heading = list ? listHeading(deps, hits, list) : undefined;
  if (heading) {
    const { answer, citations: cited, listed } = enumerate(deps, heading, citations);
    // The listed clauses are what an LLM should rephrase, in the notice's order.
    const listHits = listed.map((clause) => ({ clause, score: top.score }));
    return { question: asked, answer, grounded: true, citations: cited, hits: listHits };
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
