// Per-clause priors for ranking: how much a clause's own form (header, pointer, bare heading, contact lines,
// level scope) says about whether it can answer, independent of the words matched.
import type { Clause } from "../shared/domain.ts";
import type { LevelMask } from "./title-levels.ts";

/** A bare heading ("三、高级工程师") is context for its children, not an answer. */
export const BARE_HEADING_FACTOR = 0.5;
const BARE_HEADING_MAX_CHARS = 24;
/**
 * A question naming a level (中级, 高工…) and a clause scoped to other levels only (under the heading
 * "三、高级工程师", or in a notice whose title names other levels): the clause answers someone else.
 */
const LEVEL_MISMATCH_FACTOR = 0.35;
/**
 * A clause about the asked level (by its scope or its own words: "均可申报…工程师、高级工程师") edges out
 * one that does not say. Small: naming a level is weaker evidence than the words asked about. Other
 * levels named in the text are no mark against a clause ("中、初级职称" reads as 初级 alone).
 */
const LEVEL_MATCH_FACTOR = 1.1;
/**
 * A clause naming this many levels is a list of levels ("设置初级、中级、副高级和正高级"): naming the
 * asked one among all the others is no sign that it is about the asked level.
 */
const LEVEL_LIST_MIN = 4;
/**
 * Preamble lines that carry no rule: the title, the document number, the addressee list, the
 * signature and date. They share entity words with every question (人工智能, 经信局, 部属) and would
 * otherwise outrank the clause that answers; they stay findable, well below any substantive match.
 */
export const HEADER_FACTOR = 0.3;
/** A clause that only sends the reader elsewhere ("…请在…查询下载") yields to the clause with the substance. */
export const POINTER_FACTOR = 0.5;
/**
 * An exceptional route (破格, "可不受学历…限制") and the clauses under it, for a question that does not ask for an
 * exception: "高级工程师需要什么条件" asks for the ordinary route first, though the exception's heading names the
 * level and 条件 too.
 */
export const EXCEPTION_ROUTE_FACTOR = 0.5;
/** Paragraphs before a notice's first numbered heading (see segment-notice.ts). */
const PREAMBLE_PATH = /(^|\s)(附件\s*)?前言\d+$/u;
const ISSUE_DATE = /^\d{4}年\d{1,2}月\d{1,2}日$/u;
/** Punctuation that separates clauses of a sentence; a header line has none (a title, 之江室发〔2024〕7号). */
const CLAUSE_PUNCTUATION = /[，,。；;！？!?]/u;

/**
 * Contact and signature lines after a clause's first line (a phone number, "抄送：…印发", a bare issuer or
 * date) name the organiser, its address and its staff. Those entity words (之江实验室) then also match
 * questions that only mention the organiser; the words count this much of their BM25 gain there, unless
 * the question asks whom to contact or where to go (the lexicon's contact cues).
 */
export const CONTACT_LINE_WEIGHT = 0.3;
const CONTACT_LINE = /0\d{2,3}-\d{7,8}|^抄送|印发$/u;

/** Whether a line of a clause is a contact or signature line (see CONTACT_LINE_WEIGHT). */
export function isContactLine(line: string): boolean {
  const text = line.trim();
  return CONTACT_LINE.test(text) || (text.length > 0 && !CLAUSE_PUNCTUATION.test(text));
}

/** The static priors of every clause, by clause position. */
export interface ClausePriors {
  /**
   * Score multiplier from the clause's form: BARE_HEADING_FACTOR, HEADER_FACTOR, both, or 1. Kept as
   * the one product so a bare heading that is also a header is not reported as a bare heading.
   */
  factor: Float32Array;
  /** Preamble header lines (see HEADER_FACTOR). */
  header: Uint8Array;
  /** Clauses that point elsewhere for their substance (see POINTER_FACTOR). */
  pointer: Uint8Array;
  /** Clauses that set an exceptional route, or sit under one (see EXCEPTION_ROUTE_FACTOR). */
  exceptionRoute: Uint8Array;
}

/**
 * Works out the priors of clauses in notice order, given the children of each clause (from the outline)
 * and the lexicon's pointer pattern (a sentence that sends the reader elsewhere).
 */
export function clausePriors(
  clauses: readonly Clause[],
  childIndexes: readonly Int32Array[],
  pointerPattern: string,
  exceptionRoutePattern: string,
): ClausePriors {
  const n = clauses.length;
  const priors: ClausePriors = {
    factor: new Float32Array(n).fill(1),
    header: new Uint8Array(n),
    pointer: new Uint8Array(n),
    exceptionRoute: new Uint8Array(n),
  };
  childIndexes.forEach((list, i) => {
    if (list.length > 0 && (clauses[i]?.text.length ?? 0) <= BARE_HEADING_MAX_CHARS)
      priors.factor[i] = BARE_HEADING_FACTOR;
  });
  markHeaders(clauses, priors);
  markPointers(clauses, new RegExp(pointerPattern, "u"), priors.pointer);
  markExceptionRoutes(clauses, childIndexes, new RegExp(exceptionRoutePattern, "u"), priors.exceptionRoute);
  return priors;
}

// A clause whose own first sentence sets an exceptional route, and every clause under it.
function markExceptionRoutes(
  clauses: readonly Clause[],
  childIndexes: readonly Int32Array[],
  pattern: RegExp,
  marks: Uint8Array,
): void {
  const mark = (i: number): void => {
    if (marks[i] === 1) return;
    marks[i] = 1;
    for (const c of childIndexes[i] ?? []) mark(c);
  };
  clauses.forEach((clause, i) => {
    const first = clause.text.split(/[。\n]/u)[0] ?? "";
    if (pattern.test(first)) mark(i);
  });
}

/**
 * Marks the preamble's header lines (HEADER_FACTOR) by their form: a line with no clause punctuation
 * (title, document number, issuer, date, "（征求意见稿）"), or a line ending in a colon that comes before
 * the notice's first full sentence (the addressee list "各市经信局、…，省级有关单位："). A colon line
 * after a sentence ("…具备以下条件:") introduces substance and is left alone.
 */
function markHeaders(clauses: readonly Clause[], { factor, header }: ClausePriors): void {
  let doc = "";
  let sentenceSeen = false;
  clauses.forEach((clause, i) => {
    if (clause.docId !== doc) {
      doc = clause.docId;
      sentenceSeen = false;
    }
    const text = clause.text.trim();
    if (PREAMBLE_PATH.test(clause.path) && clause.headings.length === 0) {
      // The issuing date alone shares no entity word with a question and is itself information
      // (the answer to 什么时候发布的): it keeps its weight.
      const bare = !CLAUSE_PUNCTUATION.test(text) && !ISSUE_DATE.test(text);
      const addressee = !sentenceSeen && /[：:]$/u.test(text) && !text.includes("。");
      if (bare || addressee) {
        factor[i] = (factor[i] ?? 1) * HEADER_FACTOR;
        header[i] = 1;
      }
    }
    if (text.includes("。")) sentenceSeen = true;
  });
}

// A clause is a pointer when every sentence beyond its label sends the reader elsewhere.
function markPointers(clauses: readonly Clause[], pattern: RegExp, pointer: Uint8Array): void {
  clauses.forEach((clause, i) => {
    const body = clause.text.split(/[。；;！？!?\n]/u).filter((s) => s.trim().length > 16);
    if (body.length > 0 && body.every((s) => pattern.test(s))) pointer[i] = 1;
  });
}

/**
 * How a clause's level scope and the levels it names bear on a question that names levels: a clause
 * scoped to other levels only is for someone else, one about the asked level edges ahead, else 1.
 */
export function levelFactor(asked: LevelMask, scope: LevelMask, levelsNamed: LevelMask): number {
  const named = popcount(levelsNamed) >= LEVEL_LIST_MIN ? 0 : levelsNamed;
  if (scope !== 0 && (asked & scope) === 0) return LEVEL_MISMATCH_FACTOR;
  if (((scope | named) & asked) !== 0) return LEVEL_MATCH_FACTOR;
  return 1;
}

function popcount(mask: number): number {
  let n = 0;
  for (let m = mask; m !== 0; m &= m - 1) n++;
  return n;
}
