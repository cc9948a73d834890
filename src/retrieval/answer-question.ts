// `ask`: an extractive answer from the best clauses with citations, or an honest "not covered".
import type { KnowledgeBase } from "../knowledge/knowledge-base.ts";
import { REGION_NAMES, type Citation, type Clause, type Region } from "../shared/domain.ts";
import type { AskResult } from "../shared/report.ts";
import {
  answerSentences,
  hasAnswerType,
  scoreSentence,
  splitSentences,
  wantedKinds,
} from "./answer-sentences.ts";
import type { LlmSynthesizer } from "./llm-synthesis.ts";
import { RETRIEVAL_TEXT } from "../i18n/retrieval-messages.ts";
import { checkQuestion } from "./question-input.ts";
import { HEADER_FACTOR, type ClauseRetriever, type QueryAnalysis, type SearchHit } from "./retriever.ts";

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
/**
 * Consecutive content words the notices never use that make an off-topic subject ("个税/专项/附加/扣除"):
 * one unknown word may be a colloquial wording, a whole run of them names something else, whatever
 * domain word (继续教育) follows.
 */
const UNKNOWN_RUN = 3;

/** A second clause joins the answer when its best sentence scores this close to the first's. */
const SECOND_ANSWER_RATIO = 0.8;
/** Clauses considered for "conditions set by a document we do not hold". */
const DELEGATION_SCORE_RATIO = 0.6;

/**
 * A clause holding the kind of answer asked for (a date for 什么时候, a phone number for 电话) overtakes a
 * better-matching one without it when it scores at least this share of the best: the words say what
 * the question is about, the answer type says which clause can actually answer it.
 */
const ANSWER_TYPE_RATIO = 0.5;
/**
 * IDF-weighted share of a question's content words that an unheld document's subject must contain for a
 * question on that subject (继续教育学时登记) to be one that document answers, even without 条件/要求.
 */
const ABOUT_MATCH_SHARE = 0.5;

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

/**
 * When the best hit lacks the asked kind of answer, the hit of the same notice whose answering sentence
 * (one that has that kind) best matches the question goes first (see ANSWER_TYPE_RATIO). A header line competes at
 * its unreduced score: the date line is the answer to "什么时候发布的".
 */
function preferAnswerType(deps: AskDeps, analysis: QueryAnalysis, hits: SearchHit[]): SearchHit[] {
  const { retriever } = deps;
  const top = hits[0];
  if (!top || hasAnswerType(top.clause.text, analysis, retriever, true) !== false) return hits;
  let best = -1;
  let bestScore = 0;
  hits.forEach((h, k) => {
    const score = retriever.isHeader(h.clause) ? h.score / HEADER_FACTOR : h.score;
    // Within the best hit's notice: the words and the asked level chose the notice, the answer type
    // only picks the clause in it.
    if (k === 0 || h.clause.docId !== top.clause.docId || score < ANSWER_TYPE_RATIO * top.score) return;
    for (const s of splitSentences(h.clause.text)) {
      if (hasAnswerType(s, analysis, retriever, true) !== true) continue;
      const fit = scoreSentence(s, analysis, retriever);
      if (fit > bestScore) {
        best = k;
        bestScore = fit;
      }
    }
  });
  const chosen = hits[best];
  return chosen ? [chosen, ...hits.filter((_, k) => k !== best)] : hits;
}

const regionTexts = new WeakMap<KnowledgeBase, Map<string, string>>();

// All the words of a region's notices (titles and clauses), lower-cased, for "does it mention X at all".
function regionText(kb: KnowledgeBase, regions: readonly Region[]): string {
  const key = [...regions].sort().join(",");
  let byKey = regionTexts.get(kb);
  if (!byKey) {
    byKey = new Map();
    regionTexts.set(kb, byKey);
  }
  let text = byKey.get(key);
  if (text === undefined) {
    const parts: string[] = [];
    for (const notice of kb.notices.values()) {
      if (!regions.includes(notice.meta.region)) continue;
      parts.push(notice.meta.title, ...notice.clauses.map((c) => c.text));
    }
    text = parts.join("\n").toLowerCase();
    byKey.set(key, text);
  }
  return text;
}

/**
 * The subject a question asks about that the asked region's notices never mention, in any of its
 * lexicon forms, though other notices do ("北京…评审费": only Bazhong sets a fee). Such a question has
 * no answer there, however well its generic words (人工智能, 职称) match. Words the notices do not use
 * anywhere are left to the coverage check; level names are handled by the level logic.
 */
function missingSubject(deps: AskDeps, analysis: QueryAnalysis): string | undefined {
  const { held } = analysis.regions;
  if (held.length === 0) return undefined;
  const { retriever } = deps;
  const text = regionText(deps.kb, held);
  const { tokenizer } = retriever;
  for (const word of analysis.contentWords) {
    // Only the domain's subject terms (评审费, 继续教育, 答辩): a verb or a question form (直接, 在哪里)
    // is no subject, and a word the lexicon does not know may just be worded differently.
    const names = tokenizer.subjectForms(word);
    if (!names || tokenizer.levels.isLevelName(word) || !retriever.wordIsKnown(word)) continue;
    // Related terms count as mentions too (联系电话 is there when 电话 is).
    const forms = [...names, ...tokenizer.expansionsOf(word).map((e) => e.phrase)];
    if (forms.some((f) => text.includes(f.toLowerCase()))) continue;
    return names[0] ?? word;
  }
  return undefined;
}

// Whether the question's words include a run of UNKNOWN_RUN words unknown to the notices.
function unknownSubject(deps: AskDeps, analysis: QueryAnalysis): boolean {
  const phrases = deps.retriever.tokenizer.phrasesIn(analysis.normalized);
  let run = 0;
  for (const w of analysis.contentWords) {
    const unknown = !deps.retriever.wordIsKnown(w) && !phrases.some((p) => p.includes(w));
    run = unknown ? run + 1 : 0;
    if (run >= UNKNOWN_RUN) return true;
  }
  return false;
}

/**
 * Whether an unheld document's subject is what the question asks about (see ABOUT_MATCH_SHARE). Words of
 * the referring notice's own title (人工智能, 高级工程师) say which notice, not which subject.
 */
function aboutMatches(deps: AskDeps, analysis: QueryAnalysis, about: string, clause: Clause): boolean {
  const title = deps.kb.notice(clause.docId)?.meta.title ?? "";
  const levels = deps.retriever.tokenizer.levels;
  let total = 0;
  let matched = 0;
  for (const w of analysis.contentWords) {
    if (title.includes(w) || levels.isLevelName(w)) continue;
    const weight = deps.retriever.idf(w) * (w.length === 1 ? 0.5 : 1);
    total += weight;
    if (about.includes(w)) matched += weight;
  }
  return total > 0 && matched >= ABOUT_MATCH_SHARE * total;
}

/**
 * Whether a clause that delegates to another document still answers the question in a sentence of its
 * own: one that gives the asked kind of answer ("核验2022—2024年度学时" for 哪几年) without delegating,
 * and does not name only other levels than the one asked about.
 */
function answersInPlace(deps: AskDeps, analysis: QueryAnalysis, clause: Clause): boolean {
  const { retriever } = deps;
  if (wantedKinds(analysis, retriever).length === 0) return false;
  const delegation = new RegExp(retriever.data.lexicon.delegationPattern, "u");
  const levels = retriever.tokenizer.levels;
  // Whole sentences (to the full stop): a level named after a "；" still scopes what precedes it.
  const sentences = clause.text.match(/[^。！？!?\n]+[。！？!?]?/gu) ?? [];
  return sentences.some((s) => {
    if (delegation.test(s) || hasAnswerType(s, analysis, retriever) !== true) return false;
    const named = levels.mask(s);
    return analysis.levels === 0 || named === 0 || (named & analysis.levels) !== 0;
  });
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
  // What a heading says beyond its label ("…等程序上报高评委办公室。") is part of the answer.
  const label = labelOf(heading);
  const body = heading.text
    .slice(heading.text.indexOf(label) + label.length)
    .replace(/^[。；;：:\s]+/u, "")
    .trim();
  const title = label.replace(OWN_NUMBER, "");
  return {
    // The path already carries the heading's own number ("五、"): the label goes without it.
    answer: RETRIEVAL_TEXT.listFrom(where(kb, heading), body ? `${title}：${body}` : title, lines),
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

/**
 * Whether a clause's label names it as a conditions section ("二、申报条件") for a question about
 * conditions: 学历 and 资历 are conditions too, so "需要什么学历" is asked of "申报条件".
 */
function namesAskedConditions(deps: AskDeps, analysis: QueryAnalysis, clause: Clause): boolean {
  const label = labelOf(clause);
  const cues = deps.retriever.data.lexicon.conditionCues;
  return cues.some((c) => analysis.normalized.includes(c)) && cues.some((c) => label.includes(c));
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
  // A few more candidates than are cited, so that one holding the asked kind of answer can move up.
  const ranked = retriever.searchAnalyzed(analysis, { limit: 2 * MAX_CITATIONS });
  const hits = preferAnswerType(deps, analysis, ranked).slice(0, MAX_CITATIONS);
  const top = hits[0];
  if (!top || analysis.coverage < MIN_COVERAGE || unknownSubject(deps, analysis)) {
    return { ...refusal(deps, asked, RETRIEVAL_TEXT.noSources, held), hits: [] };
  }
  const missing = missingSubject(deps, analysis);
  if (missing !== undefined) {
    const names = held.map((r) => REGION_NAMES[r]).join(RETRIEVAL_TEXT.listSeparator);
    return { ...refusal(deps, asked, RETRIEVAL_TEXT.regionLacks(names, missing), held), hits: [] };
  }
  const citations = hits.map((h) => kb.cite(h.clause.clauseId));
  const conditions = asksForConditions(deps, analysis);
  const { unheldDocuments } = retriever.data;
  // Without 条件/要求 in the question, only a document whose very subject is asked about counts.
  const onSubject = (doc: string, clause: Clause): boolean =>
    conditions ||
    unheldDocuments.some((u) => u.docNumber === doc && aboutMatches(deps, analysis, u.about, clause));
  {
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
      const docs = delegatedDocuments(deps, hit.clause).filter((d) => onSubject(d, hit.clause));
      if (docs.length === 0) continue;
      if (answersInPlace(deps, analysis, hit.clause)) continue;
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
