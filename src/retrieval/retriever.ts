// BM25 ranking over clauses, with headings and the notice title as down-weighted context.
import type { Clause, Region } from "../shared/domain.ts";
import type { KnowledgeBase } from "../knowledge/knowledge-base.ts";
import { linkOutline } from "./clause-outline.ts";
import {
  BARE_HEADING_FACTOR,
  CONTACT_LINE_WEIGHT,
  POINTER_FACTOR,
  clausePriors,
  isContactLine,
  levelFactor,
  EXCEPTION_ROUTE_FACTOR,
  type ClausePriors,
} from "./clause-priors.ts";
import { normalizeQuery } from "./normalize-query.ts";
import { analyzeQuery, wordIsKnown as wordIsKnownTo, type QueryAnalysis } from "./query-analysis.ts";
import { RegionDetector } from "./region-mentions.ts";
import { loadRetrievalData, type RetrievalData } from "./retrieval-data.ts";
import { Tokenizer } from "./tokenizer.ts";

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

/** A ranked clause. */
export interface SearchHit {
  clause: Clause;
  score: number;
}

/** How many clauses to return, and from where. */
export interface SearchOptions {
  /** At most this many hits (default 5). */
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
  private readonly regionOf: Uint8Array;
  private readonly regionIndex = new Map<Region, number>();
  private readonly scores: Float64Array;
  private readonly touched: Int32Array;
  private readonly final: Float64Array;
  private readonly mark: Uint8Array;
  /** Nearest enclosing clause (-1 at top level) and the clauses directly under each clause. */
  private readonly parentIndex: Int32Array;
  private readonly childIndexes: Int32Array[];
  private readonly noticeOf: Int32Array;
  private readonly noticeIndex = new Map<string, number>();
  private readonly titleTerms: Array<Set<string>> = [];
  /** Levels each clause is about: from a heading above it that is a level name, else its notice's title. */
  private readonly levelOf: Uint8Array;
  private readonly levelsNamed: Uint8Array;
  /** Header, pointer and bare-heading marks and the score factor they make (see clause-priors.ts). */
  private readonly priors: ClausePriors;
  private readonly indexOf = new Map<string, number>();

  private constructor(
    readonly kb: KnowledgeBase,
    readonly data: RetrievalData,
    readonly clauses: readonly Clause[],
  ) {
    this.tokenizer = new Tokenizer(data.lexicon);
    this.regionDetector = new RegionDetector(data.places);
    const n = clauses.length;
    this.regionOf = new Uint8Array(n);
    this.scores = new Float64Array(n);
    this.touched = new Int32Array(n);
    this.final = new Float64Array(n);
    this.mark = new Uint8Array(n);
    const outline = linkOutline(clauses);
    this.parentIndex = outline.parentIndex;
    this.childIndexes = outline.childIndexes;
    this.priors = clausePriors(
      clauses,
      this.childIndexes,
      data.lexicon.pointer.pattern,
      data.lexicon.exception.routePattern,
    );
    this.noticeOf = new Int32Array(n);
    this.levelOf = new Uint8Array(n);
    this.levelsNamed = new Uint8Array(n);
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

  /** The held notices' document numbers, normalised as questions are (see analyzeQuery). */
  get documentNumbers(): ReadonlyArray<{ number: string; region: Region; docId: string }> {
    this.numbers ??= [...this.kb.notices.values()].flatMap((n) =>
      n.meta.docNumber
        ? [{ number: normalizeQuery(n.meta.docNumber), region: n.meta.region, docId: n.meta.docId }]
        : [],
    );
    return this.numbers;
  }

  private numbers: Array<{ number: string; region: Region; docId: string }> | undefined;

  /** Normalises a question and works out its terms, places and domain coverage. */
  analyze(query: string): QueryAnalysis {
    return analyzeQuery(query, this);
  }

  /** A word is known when the notices use it, its synonym, or (for a compound) most of its parts. */
  wordIsKnown(word: string): boolean {
    return wordIsKnownTo(word, this);
  }

  /** Ranked clauses for a query, best first. */
  search(query: string, opts: SearchOptions = {}): SearchHit[] {
    return this.searchAnalyzed(this.analyze(query), opts);
  }

  /** Ranked clauses for an analysed query (lets callers analyse once and rank several ways). */
  searchAnalyzed(analysis: QueryAnalysis, opts: SearchOptions = {}): SearchHit[] {
    const limit = Math.max(0, opts.limit ?? 5);
    const allowed = this.allowedRegions(opts.region ? [opts.region] : analysis.regions.held);
    const { scores, touched, regionOf, noticeOf, final, mark, levelOf, levelsNamed } = this;
    const { factor, pointer, exceptionRoute } = this.priors;
    const asked = analysis.levels;
    const titleBonus = new Float64Array(this.titleTerms.length);
    const pointerFactor = this.data.lexicon.pointer.cues.some((c) => analysis.normalized.includes(c))
      ? 1
      : POINTER_FACTOR;
    const contactAsked = this.data.lexicon.contactCues.some((c) => analysis.normalized.includes(c));
    const exceptionFactor = this.data.lexicon.exception.cues.some((c) => analysis.normalized.includes(c))
      ? 1
      : EXCEPTION_ROUTE_FACTOR;
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
      final[d] = ((scores[d] ?? 0) + inherited) * (factor[d] ?? 1) + (titleBonus[noticeOf[d] ?? 0] ?? 0);
      if (pointer[d] === 1) final[d] = (final[d] ?? 0) * pointerFactor;
      if (exceptionRoute[d] === 1) final[d] = (final[d] ?? 0) * exceptionFactor;
      if (asked !== 0) final[d] = (final[d] ?? 0) * levelFactor(asked, levelOf[d] ?? 0, levelsNamed[d] ?? 0);
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
    return i !== undefined && this.priors.header[i] === 1;
  }

  /** Whether a clause is a short heading over items ("五、评审程序"): it names a list, the items say it. */
  isBareHeading(clause: Clause): boolean {
    const i = this.indexOf.get(clause.clauseId);
    return i !== undefined && this.priors.factor[i] === BARE_HEADING_FACTOR;
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
