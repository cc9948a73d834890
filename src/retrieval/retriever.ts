// BM25 ranking over clauses, with headings and the notice title as down-weighted context.
import type { Clause, Region } from "../shared/domain.ts";
import type { KnowledgeBase } from "../knowledge/knowledge-base.ts";
import { normalizeQuery } from "./normalize-query.ts";
import { RegionDetector, type RegionMentions } from "./region-mentions.ts";
import { loadRetrievalData, type RetrievalData } from "./retrieval-data.ts";
import type { LevelMask } from "./title-levels.ts";
import { Tokenizer, type QueryTerm } from "./tokenizer.ts";

const LATIN_ONLY = /^[a-z0-9._-]+$/i;

/** BM25 saturation and length normalisation (b below the usual 0.75: short clauses are not better per se). */
const K1 = 1.2;
const B = 0.6;
/**
 * Headings are context: the scores of every heading above a clause pass to it at this rate (a short
 * heading that matches well lifts its whole list, whose items then compete on their own words).
 */
const INHERIT = 0.5;
/**
 * Words of a notice's title pick the notice rather than the clause: in clause text they count
 * this much, and every clause of a notice whose title has the word gets TITLE_BONUS of it.
 */
const TITLE_WORD_IN_TEXT = 0.4;
const TITLE_BONUS = 0.5;
/** A bare heading ("三、高级工程师") is context for its children, not an answer. */
const BARE_HEADING_FACTOR = 0.5;
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
const POINTER_FACTOR = 0.5;
/** Paragraphs before a notice's first numbered heading (see segment-notice.ts). */
const PREAMBLE_PATH = /(^|\s)(附件\s*)?前言\d+$/u;
/** Punctuation that separates clauses of a sentence; a header line has none (a title, 之江室发〔2024〕7号). */
const ISSUE_DATE = /^\d{4}年\d{1,2}月\d{1,2}日$/u;
const CLAUSE_PUNCTUATION = /[，,。；;！？!?]/u;

/**
 * Contact and signature lines after a clause's first line (a phone number, "抄送：…印发", a bare issuer or
 * date) name the organiser, its address and its staff. Those entity words (之江实验室) then also match
 * questions that only mention the organiser; the words count this much of their BM25 gain there, unless
 * the question asks whom to contact or where to go (the lexicon's contact cues).
 */
const CONTACT_LINE_WEIGHT = 0.3;
const CONTACT_LINE = /0\d{2,3}-\d{7,8}|^抄送|印发$/u;

function isContactLine(line: string): boolean {
  const text = line.trim();
  return CONTACT_LINE.test(text) || (text.length > 0 && !CLAUSE_PUNCTUATION.test(text));
}

function popcount(mask: number): number {
  let n = 0;
  for (let m = mask; m !== 0; m &= m - 1) n++;
  return n;
}

/** A ranked clause. */
export interface SearchHit {
  clause: Clause;
  score: number;
}

/** What the retriever makes of a question before ranking. */
export interface QueryAnalysis {
  normalized: string;
  terms: QueryTerm[];
  regions: RegionMentions;
  /** The user's own content words (no stop words, place names, durations or hedges). */
  contentWords: string[];
  /** IDF-weighted share of the content words that the notices use at all (0..1). */
  coverage: number;
  /** Title levels the question names (0: none). */
  levels: LevelMask;
}

export interface SearchOptions {
  limit?: number;
  /** Restrict to this region; when absent, regions named in the query are used. */
  region?: Region;
}

/** A BM25 index over every clause of a knowledge base. Immutable once built. */
export class ClauseRetriever {
  readonly tokenizer: Tokenizer;
  readonly regionDetector: RegionDetector;
  private readonly termIds = new Map<string, number>();
  private readonly postingDocs: Int32Array[] = [];
  private readonly postingWeights: Float32Array[] = [];
  /** What contact lines add to each posting when the question asks for a contact (see CONTACT_LINE_WEIGHT). */
  private readonly postingContactGains: Float32Array[] = [];
  private idfs = new Float32Array(0);
  private maxIdf = 0;
  private readonly factor: Float32Array;
  private readonly regionOf: Uint8Array;
  private readonly regionIndex = new Map<Region, number>();
  private readonly scores: Float64Array;
  private readonly touched: Int32Array;
  private readonly final: Float64Array;
  private readonly mark: Uint8Array;
  /** Nearest enclosing clause (-1 at top level) and the clauses directly under each clause. */
  private readonly parentIndex: Int32Array;
  private readonly childIndexes: Int32Array[] = [];
  private readonly noticeOf: Int32Array;
  private readonly noticeIndex = new Map<string, number>();
  private readonly titleTerms: Array<Set<string>> = [];
  /** Levels each clause is about: from a heading above it that is a level name, else its notice's title. */
  private readonly levelOf: Uint8Array;
  private readonly levelsNamed: Uint8Array;
  /** Preamble header lines (see HEADER_FACTOR). */
  private readonly header: Uint8Array;
  /** Clauses that point elsewhere for their substance (see POINTER_FACTOR). */
  private readonly pointer: Uint8Array;
  private readonly indexOf = new Map<string, number>();

  private constructor(
    readonly kb: KnowledgeBase,
    readonly data: RetrievalData,
    readonly clauses: readonly Clause[],
  ) {
    this.tokenizer = new Tokenizer(data.lexicon);
    this.regionDetector = new RegionDetector(data.places);
    const n = clauses.length;
    this.factor = new Float32Array(n).fill(1);
    this.regionOf = new Uint8Array(n);
    this.scores = new Float64Array(n);
    this.touched = new Int32Array(n);
    this.final = new Float64Array(n);
    this.mark = new Uint8Array(n);
    this.parentIndex = new Int32Array(n).fill(-1);
    this.noticeOf = new Int32Array(n);
    this.levelOf = new Uint8Array(n);
    this.levelsNamed = new Uint8Array(n);
    this.pointer = new Uint8Array(n);
    this.header = new Uint8Array(n);
  }

  /**
   * Marks the preamble's header lines (HEADER_FACTOR) by their form: a line with no clause punctuation
   * (title, document number, issuer, date, "（征求意见稿）"), or a line ending in a colon that comes before
   * the notice's first full sentence (the addressee list "各市经信局、…，省级有关单位："). A colon line
   * after a sentence ("…具备以下条件:") introduces substance and is left alone.
   */
  private markHeaders(): void {
    let doc = "";
    let sentenceSeen = false;
    this.clauses.forEach((clause, i) => {
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
          this.factor[i] = (this.factor[i] ?? 1) * HEADER_FACTOR;
          this.header[i] = 1;
        }
      }
      if (text.includes("。")) sentenceSeen = true;
    });
  }

  // A clause is a pointer when every sentence beyond its label sends the reader elsewhere.
  private markPointers(): void {
    const pattern = new RegExp(this.data.lexicon.pointer.pattern, "u");
    this.clauses.forEach((clause, i) => {
      const body = clause.text.split(/[。；;！？!?\n]/u).filter((s) => s.trim().length > 16);
      if (body.length > 0 && body.every((s) => pattern.test(s))) this.pointer[i] = 1;
    });
  }

  // Parents by clause-id prefix within a notice: `doc:附件三、` encloses `doc:附件三、(四)1.`.
  private linkOutline(): void {
    const { clauses } = this;
    const children: number[][] = clauses.map(() => []);
    const stack: number[] = [];
    clauses.forEach((clause, i) => {
      while (stack.length > 0) {
        const top = clauses[stack[stack.length - 1] ?? -1];
        if (top && top.docId === clause.docId && clause.clauseId.startsWith(top.clauseId)) break;
        stack.pop();
      }
      const parent = stack[stack.length - 1];
      if (parent !== undefined) {
        this.parentIndex[i] = parent;
        children[parent]?.push(i);
      }
      stack.push(i);
    });
    children.forEach((list, i) => {
      this.childIndexes.push(Int32Array.from(list));
      if (list.length > 0 && (clauses[i]?.text.length ?? 0) <= BARE_HEADING_MAX_CHARS)
        this.factor[i] = BARE_HEADING_FACTOR;
    });
  }

  /** Indexes every clause of the knowledge base (data defaults to knowledge/retrieval). */
  static build(kb: KnowledgeBase, data: RetrievalData = loadRetrievalData()): ClauseRetriever {
    const r = new ClauseRetriever(kb, data, kb.clauses);
    r.index();
    return r;
  }

  private index(): void {
    const { clauses, tokenizer } = this;
    const tfs: Array<Map<number, number>> = [];
    // Occurrences in contact and signature lines (see CONTACT_LINE_WEIGHT), kept apart.
    const contactTfs: Array<Map<number, number>> = [];
    const lengths = new Float64Array(clauses.length);
    const idOf = (term: string): number => {
      let id = this.termIds.get(term);
      if (id === undefined) {
        id = this.termIds.size;
        this.termIds.set(term, id);
      }
      return id;
    };
    const levels = tokenizer.levels;
    clauses.forEach((clause, i) => {
      this.indexOf.set(clause.clauseId, i);
      const notice = this.kb.notice(clause.docId);
      let scope = levels.headingLevel(clause.text.split("\n")[0] ?? "");
      for (const h of clause.headings) scope |= levels.headingLevel(h);
      this.levelOf[i] = scope !== 0 ? scope : levels.mask(notice?.meta.title ?? "");
      this.levelsNamed[i] = levels.mask(clause.text);
      const region = notice?.meta.region;
      if (region !== undefined) {
        if (!this.regionIndex.has(region)) this.regionIndex.set(region, this.regionIndex.size + 1);
        this.regionOf[i] = this.regionIndex.get(region) ?? 0;
      }
      if (!this.noticeIndex.has(clause.docId)) {
        this.noticeIndex.set(clause.docId, this.noticeIndex.size);
        this.titleTerms.push(new Set(tokenizer.terms(notice?.meta.title ?? "")));
      }
      this.noticeOf[i] = this.noticeIndex.get(clause.docId) ?? 0;
      const tf = new Map<number, number>();
      const contactTf = new Map<number, number>();
      let length = 0;
      clause.text.split("\n").forEach((line, k) => {
        const own = tokenizer.terms(line);
        const into = k > 0 && isContactLine(line) ? contactTf : tf;
        for (const t of own) {
          const id = idOf(t);
          into.set(id, (into.get(id) ?? 0) + 1);
        }
        length += own.length;
      });
      tfs.push(tf);
      contactTfs.push(contactTf);
      lengths[i] = length;
    });
    this.linkOutline();
    this.markHeaders();
    this.markPointers();
    const n = clauses.length;
    const avgLength = lengths.reduce((a, b) => a + b, 0) / Math.max(1, n);
    const docs: number[][] = Array.from({ length: this.termIds.size }, () => []);
    const weights: number[][] = Array.from({ length: this.termIds.size }, () => []);
    const gains: number[][] = Array.from({ length: this.termIds.size }, () => []);
    tfs.forEach((tf, i) => {
      const norm = K1 * (1 - B + (B * (lengths[i] ?? 0)) / Math.max(1, avgLength));
      const bm25 = (f: number): number => (f * (K1 + 1)) / (f + norm);
      const contactTf = contactTfs[i] ?? new Map<number, number>();
      for (const id of new Set([...tf.keys(), ...contactTf.keys()])) {
        const f = tf.get(id) ?? 0;
        // What contact lines add on top of the body counts CONTACT_LINE_WEIGHT of its BM25 gain.
        const gain = bm25(f + (contactTf.get(id) ?? 0)) - bm25(f);
        docs[id]?.push(i);
        weights[id]?.push(bm25(f) + CONTACT_LINE_WEIGHT * gain);
        gains[id]?.push((1 - CONTACT_LINE_WEIGHT) * gain);
      }
    });
    this.idfs = new Float32Array(this.termIds.size);
    for (let id = 0; id < this.termIds.size; id++) {
      const df = docs[id]?.length ?? 0;
      this.idfs[id] = Math.log(1 + (n - df + 0.5) / (df + 0.5));
      this.postingDocs.push(Int32Array.from(docs[id] ?? []));
      this.postingWeights.push(Float32Array.from(weights[id] ?? []));
      this.postingContactGains.push(Float32Array.from(gains[id] ?? []));
    }
    this.maxIdf = Math.log(1 + (n + 0.5) / 0.5);
  }

  /** Inverse document frequency of a term; a term the notices never use gets the maximum. */
  idf(term: string): number {
    const id = this.termIds.get(term);
    return id === undefined ? this.maxIdf : (this.idfs[id] ?? this.maxIdf);
  }

  /** Whether the notices use this term anywhere (text, headings or titles). */
  knows(term: string): boolean {
    return this.termIds.has(term);
  }

  /** Normalises a question and works out its terms, places and domain coverage. */
  analyze(query: string): QueryAnalysis {
    const normalized = normalizeQuery(query);
    const regions = this.regionDetector.detect(normalized);
    const placeWords = new Set(regions.names.flatMap((n) => [n, ...this.tokenizer.words(n)]));
    // With a held region named, a place we hold nothing for is no choice of notices but a subject
    // ("重庆评的助工到巴中…": the notice's 川渝互认 clause names 重庆): it ranks as a word of its own.
    const subjectPlaces = regions.held.length > 0 ? new Set(regions.unheld) : new Set<string>();
    const rankedLow = new Set(
      regions.names
        .filter((n) => !subjectPlaces.has(n))
        .flatMap((n) => [n, ...this.tokenizer.words(n)])
        .filter((w) => !subjectPlaces.has(w)),
    );
    const terms = this.tokenizer.queryTerms(normalized, rankedLow);
    // Durations and hedges (快两年半) say how the asker stands, not what the question is about.
    const contentWords = this.tokenizer
      .mainWords(normalized)
      .filter((w) => !placeWords.has(w) && !this.tokenizer.isFiller(w));
    let total = 0;
    let matched = 0;
    // A word inside a colloquial lexicon phrase ("叫啥", "打哪个电话") is understood through the phrase.
    const phrases = this.tokenizer.phrasesIn(normalized);
    for (const w of contentWords) {
      const known = this.wordIsKnown(w) || phrases.some((p) => p.includes(w));
      // Latin letters the notices never use ("abc", a stray tag name) say nothing about the subject of a
      // Chinese question; they must not turn an answerable question into a refusal.
      if (!known && LATIN_ONLY.test(w)) continue;
      // A lone character says little about the subject (交, 评, 算): it counts for half.
      const weight = (known ? this.idf(w) : this.maxIdf) * (w.length === 1 ? 0.5 : 1);
      total += weight;
      if (known) matched += weight;
    }
    return {
      normalized,
      terms,
      regions,
      contentWords,
      coverage: total > 0 ? matched / total : 0,
      levels: this.tokenizer.levels.mask(normalized),
    };
  }

  /** A word is known when the notices use it, its synonym, or (for a compound) most of its parts. */
  wordIsKnown(word: string): boolean {
    if (this.knows(word)) return true;
    // A lexicon phrase may be cut into several words ("县（区）" into 县/区): all of them must be known.
    const phraseKnown = (phrase: string): boolean => {
      if (this.knows(phrase)) return true;
      const parts = this.tokenizer.words(phrase);
      return parts.length > 0 && parts.every((p) => this.knows(p));
    };
    if (this.tokenizer.expansionsOf(word).some((e) => phraseKnown(e.phrase))) return true;
    const parts = this.tokenizer.words(word).filter((p) => p !== word);
    if (parts.length > 0 && parts.filter((p) => this.knows(p)).length * 2 >= parts.length) return true;
    // Unknown to jieba too: judge by its character bigrams.
    const grams = this.tokenizer.bigrams(word);
    return grams.length > 0 && grams.every((g) => this.knows(g));
  }

  /** Ranked clauses for a query, best first. */
  search(query: string, opts: SearchOptions = {}): SearchHit[] {
    return this.searchAnalyzed(this.analyze(query), opts);
  }

  /** Ranked clauses for an analysed query (lets callers analyse once and rank several ways). */
  searchAnalyzed(analysis: QueryAnalysis, opts: SearchOptions = {}): SearchHit[] {
    const limit = Math.max(0, opts.limit ?? 5);
    const allowed = this.allowedRegions(opts.region ? [opts.region] : analysis.regions.held);
    const { scores, touched, regionOf, noticeOf, final, mark, levelOf } = this;
    const asked = analysis.levels;
    const titleBonus = new Float64Array(this.titleTerms.length);
    const pointerFactor = this.data.lexicon.pointer.cues.some((c) => analysis.normalized.includes(c))
      ? 1
      : POINTER_FACTOR;
    const contactAsked = this.data.lexicon.contactCues.some((c) => analysis.normalized.includes(c));
    let nTouched = 0;
    for (const { term, weight } of analysis.terms) {
      const id = this.termIds.get(term);
      if (id === undefined) continue;
      const idf = this.idfs[id] ?? 0;
      let inTitle = false;
      this.titleTerms.forEach((terms, k) => {
        if (terms.has(term)) {
          titleBonus[k] = (titleBonus[k] ?? 0) + TITLE_BONUS * weight * idf;
          inTitle = true;
        }
      });
      const w = weight * idf * (inTitle ? TITLE_WORD_IN_TEXT : 1);
      const docs = this.postingDocs[id] ?? new Int32Array(0);
      const tfn = this.postingWeights[id] ?? new Float32Array(0);
      const gain = contactAsked ? this.postingContactGains[id] : undefined;
      for (let k = 0; k < docs.length; k++) {
        const d = docs[k] ?? 0;
        if (allowed && !allowed.has(regionOf[d] ?? 0)) continue;
        if (scores[d] === 0) touched[nTouched++] = d;
        scores[d] = (scores[d] ?? 0) + w * ((tfn[k] ?? 0) + (gain?.[k] ?? 0));
      }
    }
    // Candidates: every matched clause and everything under a matched heading.
    let nCand = nTouched;
    for (let k = 0; k < nCand; k++) {
      const d = touched[k] ?? 0;
      mark[d] = 1;
    }
    for (let k = 0; k < nCand; k++) {
      for (const c of this.childIndexes[touched[k] ?? 0] ?? []) {
        if (mark[c] === 0) {
          mark[c] = 1;
          touched[nCand++] = c;
        }
      }
    }
    for (let k = 0; k < nCand; k++) {
      const d = touched[k] ?? 0;
      let inherited = 0;
      for (let p = this.parentIndex[d] ?? -1; p >= 0; p = this.parentIndex[p] ?? -1)
        inherited += scores[p] ?? 0;
      inherited *= INHERIT;
      final[d] = ((scores[d] ?? 0) + inherited) * (this.factor[d] ?? 1) + (titleBonus[noticeOf[d] ?? 0] ?? 0);
      if (this.pointer[d] === 1) final[d] = (final[d] ?? 0) * pointerFactor;
      if (asked !== 0) {
        const scope = levelOf[d] ?? 0;
        const all = this.levelsNamed[d] ?? 0;
        const named = popcount(all) >= LEVEL_LIST_MIN ? 0 : all;
        if (scope !== 0 && (asked & scope) === 0) final[d] = (final[d] ?? 0) * LEVEL_MISMATCH_FACTOR;
        else if (((scope | named) & asked) !== 0) final[d] = (final[d] ?? 0) * LEVEL_MATCH_FACTOR;
      }
    }
    // Keep the best `limit` with an insertion pass: cheaper than sorting every candidate.
    const best: Array<{ d: number; s: number }> = [];
    for (let k = 0; k < nCand; k++) {
      const d = touched[k] ?? 0;
      const s = final[d] ?? 0;
      if (s <= 0 || limit === 0) continue;
      if (best.length === limit && s <= (best[limit - 1]?.s ?? 0)) continue;
      let at = best.length;
      while (at > 0 && (best[at - 1]?.s ?? 0) < s) at--;
      best.splice(at, 0, { d, s });
      if (best.length > limit) best.pop();
    }
    for (let k = 0; k < nCand; k++) {
      const d = touched[k] ?? 0;
      scores[d] = 0;
      mark[d] = 0;
    }
    return best.flatMap(({ d, s }) => {
      const clause = this.clauses[d];
      return clause ? [{ clause, score: s }] : [];
    });
  }

  /** The clauses directly under a clause, in notice order. */
  childrenOf(clause: Clause): Clause[] {
    const i = this.indexOf.get(clause.clauseId);
    if (i === undefined) return [];
    return Array.from(this.childIndexes[i] ?? [], (c) => this.clauses[c]).filter((c): c is Clause => !!c);
  }

  /** Whether a clause is a preamble header line (title, document number, addressee, signature, date). */
  isHeader(clause: Clause): boolean {
    const i = this.indexOf.get(clause.clauseId);
    return i !== undefined && this.header[i] === 1;
  }

  /** Whether a clause is a short heading over items ("五、评审程序"): it names a list, the items say it. */
  isBareHeading(clause: Clause): boolean {
    const i = this.indexOf.get(clause.clauseId);
    return i !== undefined && this.factor[i] === BARE_HEADING_FACTOR;
  }

  /** The nearest clause enclosing a clause (undefined at the top of a notice). */
  parentOf(clause: Clause): Clause | undefined {
    const i = this.indexOf.get(clause.clauseId);
    const p = i === undefined ? -1 : (this.parentIndex[i] ?? -1);
    return p >= 0 ? this.clauses[p] : undefined;
  }

  private allowedRegions(regions: readonly Region[]): Set<number> | undefined {
    if (regions.length === 0) return undefined;
    return new Set(regions.map((r) => this.regionIndex.get(r) ?? -1));
  }
}
