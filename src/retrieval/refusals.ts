// When `ask` must not answer: off-topic questions, subjects a region's notices never mention, and
// conditions a clause delegates to a document we do not hold. Each refusal points to whom to ask.
import type { KnowledgeBase } from "../knowledge/knowledge-base.ts";
import { REGION_NAMES, type Citation, type Clause, type Region } from "../shared/domain.ts";
import type { AskResult } from "../shared/report.ts";
import { RETRIEVAL_TEXT } from "../i18n/retrieval-messages.ts";
import { hasAnswerType, splitSentences, wantedKinds } from "./answer-sentences.ts";
import type { AskDeps } from "./answer-question.ts";
import { clauseLabel, clauseLocation } from "./clause-location.ts";
import type { QueryAnalysis } from "./query-analysis.ts";
import type { SearchHit } from "./retriever.ts";
import { compiledPattern } from "./compiled-pattern.ts";

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
/** Clauses considered for "conditions set by a document we do not hold". */
const DELEGATION_SCORE_RATIO = 0.6;
/**
 * IDF-weighted share of a question's content words that an unheld document's subject must contain for a
 * question on that subject (继续教育学时登记) to be one that document answers, even without 条件/要求.
 */
const ABOUT_MATCH_SHARE = 0.5;
/**
 * A word in at least about a tenth of all clauses (人工智能, 职称, 申报, 评审) is generic: it says which
 * notices, not what about them. IDF ln(1 + (n - df) / df) is about ln(10) at that share.
 */
const GENERIC_IDF = 2.3;

const PHONE = /0\d{2,3}-\d{7,8}/u;

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

/** A refusal led by `lead`, pointing to the contacts of the regions concerned. */
export function refusal(
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
 * Whether a question is about something the notices do not cover at all: too few of its words are
 * used by the notices (see MIN_COVERAGE), or it names an unknown subject (see UNKNOWN_RUN).
 */
export function offTopic(deps: AskDeps, analysis: QueryAnalysis): boolean {
  return analysis.coverage < MIN_COVERAGE || unknownSubject(deps, analysis);
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
 * Whether the best clause matches the question's other specific words (not generic, not a level, not
 * another name of the missing subject) at least as strongly as the missing subject would have: then
 * the missing term is an incidental detail of the asker ("我在一家民企…网上申报啥时候截止"), not the
 * question's subject. A best clause that hands its substance to a document we do not hold is no such
 * match: what it would say about the missing term is elsewhere.
 */
function othersMatchWell(
  deps: AskDeps,
  analysis: QueryAnalysis,
  forms: readonly string[],
  top: SearchHit | undefined,
): boolean {
  if (!top || delegatedDocuments(deps, top.clause).length > 0) return false;
  const { retriever } = deps;
  const { tokenizer } = retriever;
  const text = top.clause.text.toLowerCase();
  const missingWeight = Math.max(...forms.map((f) => retriever.idf(f.toLowerCase())));
  let matched = 0;
  for (const w of new Set(analysis.contentWords)) {
    if (forms.includes(w) || tokenizer.levels.isLevelName(w) || retriever.idf(w) < GENERIC_IDF) continue;
    const names = [w, ...tokenizer.expansionsOf(w).map((e) => e.phrase)];
    if (names.some((n) => forms.includes(n))) continue;
    if (names.some((n) => text.includes(n.toLowerCase()))) matched += retriever.idf(w);
  }
  return matched >= missingWeight;
}

/**
 * The subject a question asks about that the asked region's notices never mention, in any of its
 * lexicon forms, though other notices do ("北京…评审费": only Bazhong sets a fee). Such a question has
 * no answer there, however well its generic words (人工智能, 职称) match. Words the notices do not use
 * anywhere are left to the coverage check; level names are handled by the level logic. A term the
 * best clause can do without (see othersMatchWell) is no subject.
 */
export function missingSubject(
  deps: AskDeps,
  analysis: QueryAnalysis,
  top: SearchHit | undefined,
): string | undefined {
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
    if (othersMatchWell(deps, analysis, forms, top)) continue;
    return names[0] ?? word;
  }
  return undefined;
}

// Unheld documents a clause delegates conditions to, by number or by the short name it defines.
function delegatedDocuments(deps: AskDeps, clause: Clause): string[] {
  const { unheldDocuments, lexicon } = deps.retriever.data;
  const delegation = compiledPattern(lexicon.delegationPattern);
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
  const delegation = compiledPattern(retriever.data.lexicon.delegationPattern);
  const levels = retriever.tokenizer.levels;
  // Whole sentences (to the full stop): a level named after a "；" still scopes what precedes it.
  const sentences = clause.text.match(/[^。！？!?\n]+[。！？!?]?/gu) ?? [];
  return sentences.some((s) => {
    if (delegation.test(s) || hasAnswerType(s, analysis, retriever) !== true) return false;
    const named = levels.mask(s);
    return analysis.levels === 0 || named === 0 || (named & analysis.levels) !== 0;
  });
}

// An exception or alternative route that a clause states itself ("未达到…条件，但…也可申报"), in a
// sentence that does not just delegate to another document.
function statesException(deps: AskDeps, clause: Clause): boolean {
  const { exception, delegationPattern } = deps.retriever.data.lexicon;
  const route = compiledPattern(exception.pattern);
  const delegation = compiledPattern(delegationPattern);
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
  const label = clauseLabel(clause);
  const cues = deps.retriever.data.lexicon.conditionCues;
  return cues.some((c) => analysis.normalized.includes(c)) && cues.some((c) => label.includes(c));
}

function asksForConditions(deps: AskDeps, analysis: QueryAnalysis): boolean {
  return deps.retriever.data.lexicon.conditionCues.some((c) => analysis.normalized.includes(c));
}

/** Whether the question names a document by its number ("浙人社发〔2022〕77号", or "〔2022〕77号" alone). */
function namesDocument(analysis: QueryAnalysis, docNumber: string): boolean {
  const full = docNumber.normalize("NFKC");
  const yearAndNumber = full.slice(Math.max(0, full.search(/[〔[(（]\d{4}/u)));
  return analysis.normalized.includes(full) || analysis.normalized.includes(yearAndNumber);
}

/**
 * The refusal for conditions that a well-ranked clause delegates to a document we do not hold (naming
 * the document and citing the referring clause first), or undefined when the hits answer themselves.
 */
export function delegationRefusal(
  deps: AskDeps,
  analysis: QueryAnalysis,
  hits: readonly SearchHit[],
  asked: string,
): AskResult | undefined {
  const { retriever, kb } = deps;
  const top = hits[0];
  if (!top) return undefined;
  const citations = hits.map((h) => kb.cite(h.clause.clauseId));
  const conditions = asksForConditions(deps, analysis);
  const { unheldDocuments } = retriever.data;
  // Without 条件/要求 in the question, only a document whose very subject is asked about counts, or one
  // the question names itself ("77号里高级技师要…": what that document says is what is asked).
  const onSubject = (doc: string, clause: Clause): boolean =>
    conditions ||
    namesDocument(analysis, doc) ||
    unheldDocuments.some((u) => u.docNumber === doc && aboutMatches(deps, analysis, u.about, clause));
  // The runner-up is looked at only when the best clause does not itself hold the kind of answer
  // asked for; so is a clause titled with the very conditions asked about ("二、申报条件"), however
  // it ranks: the level named in the question may have pulled a clause mentioning that level above it.
  // A clause citing a document the question names is looked at wherever it ranks, like a titled one.
  const named = unheldDocuments.filter((u) => namesDocument(analysis, u.docNumber)).map((u) => u.docNumber);
  const titled = (h: SearchHit): boolean =>
    namesAskedConditions(deps, analysis, h.clause) || named.some((d) => h.clause.text.includes(d));
  const considered =
    hasAnswerType(top.clause.text, analysis, retriever) === true
      ? [top, ...hits.slice(1).filter((h) => named.some((d) => h.clause.text.includes(d)))]
      : [...hits.slice(0, 2), ...hits.slice(2).filter(titled)];
  const exception = asksForException(deps, analysis);
  for (const hit of considered) {
    if (hit.score < DELEGATION_SCORE_RATIO * top.score && !titled(hit)) continue;
    // "没达到学历资历条件还能申报吗" asks about the route the held clause states, not the conditions.
    if (exception && statesException(deps, hit.clause)) continue;
    const delegated = delegatedDocuments(deps, hit.clause).filter((d) => onSubject(d, hit.clause));
    if (delegated.length === 0) continue;
    // A clause delegating each subject to its own document (机电制造 to one, 材料 to another): the
    // documents on the asked subject are the answer's source, the others only noise.
    const about = delegated.filter((d) =>
      unheldDocuments.some((u) => u.docNumber === d && aboutMatches(deps, analysis, u.about, hit.clause)),
    );
    const docs = about.length > 0 ? about : delegated;
    if (answersInPlace(deps, analysis, hit.clause)) continue;
    const region = kb.notice(hit.clause.docId)?.meta.region;
    const lead =
      RETRIEVAL_TEXT.unheldDocument(docs.join(RETRIEVAL_TEXT.listSeparator)) +
      RETRIEVAL_TEXT.referringClause(clauseLocation(kb, hit.clause), hit.clause.text) +
      "\n";
    const cited = [
      kb.cite(hit.clause.clauseId),
      ...citations.filter((c) => c.clauseId !== hit.clause.clauseId),
    ];
    return refusal(deps, asked, lead, region ? [region] : [], cited);
  }
  return undefined;
}

const sumSentences = new WeakMap<KnowledgeBase, Array<{ region: Region; text: string }>>();

// Every sentence of the knowledge base that states a sum of money, lower-cased, with its region.
function sentencesWithSums(kb: KnowledgeBase, pattern: string): Array<{ region: Region; text: string }> {
  let found = sumSentences.get(kb);
  if (!found) {
    const sum = compiledPattern(pattern);
    found = [];
    for (const notice of kb.notices.values())
      for (const clause of notice.clauses)
        for (const s of splitSentences(clause.text))
          if (sum.test(s)) found.push({ region: notice.meta.region, text: s.toLowerCase() });
    sumSentences.set(kb, found);
  }
  return found;
}

/**
 * The refusal for a question asking for a sum of money (评审费交多少) when no sentence of the asked
 * regions' notices (every notice when none is named) states a sum on the asked subject: "支付评审费"
 * says a fee is paid, not how much, and another region's 200元 is no answer there. The asked subject
 * is whatever the question names (or asks with: 多少钱 is a name of 评审费) that some notice states a
 * sum for; the question's other words (之江实验室, 正高) say where and who. Undefined otherwise.
 */
export function amountRefusal(deps: AskDeps, analysis: QueryAnalysis, asked: string): AskResult | undefined {
  const { retriever, kb } = deps;
  const { amount } = retriever.data.lexicon;
  const cues = amount.cues.filter((c) => analysis.normalized.includes(c));
  if (cues.length === 0) return undefined;
  const { tokenizer } = retriever;
  const sentences = sentencesWithSums(kb, amount.pattern);
  const formsOf = (w: string): string[] => [
    ...(tokenizer.subjectForms(w) ?? []),
    ...tokenizer.expansionsOf(w).map((e) => e.phrase),
  ];
  const subjects = [...new Set([...analysis.contentWords, ...cues])].filter(
    (w) =>
      tokenizer.subjectForms(w) !== undefined &&
      !tokenizer.levels.isLevelName(w) &&
      sentences.some((s) => formsOf(w).some((f) => s.text.includes(f.toLowerCase()))),
  );
  const forms = subjects.flatMap(formsOf).map((f) => f.toLowerCase());
  const regions = analysis.regions.held;
  const stated = sentences.some(
    (s) =>
      (regions.length === 0 || regions.includes(s.region)) &&
      (forms.length === 0 || forms.some((f) => s.text.includes(f))),
  );
  if (stated) return undefined;
  const names = regions.map((r) => REGION_NAMES[r]).join(RETRIEVAL_TEXT.listSeparator);
  const first = subjects[0];
  const subject = first === undefined ? "" : (tokenizer.subjectForms(first)?.[0] ?? first);
  return refusal(deps, asked, RETRIEVAL_TEXT.noAmount(names || RETRIEVAL_TEXT.heldNotices, subject), regions);
}
