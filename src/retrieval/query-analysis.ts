// What a question amounts to before ranking: its normalised text, terms, places, levels and domain coverage.
import { normalizeQuery } from "./normalize-query.ts";
import type { Region } from "../shared/domain.ts";
import type { RegionDetector, RegionMentions } from "./region-mentions.ts";
import type { LevelMask } from "./title-levels.ts";
import type { QueryTerm, Tokenizer } from "./tokenizer.ts";

const LATIN_ONLY = /^[a-z0-9._-]+$/i;

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
  /**
   * The words of held notices' numbers the question names, left out of `terms` (low weight): for when the
   * rest finds nothing ("京人社事业发〔2020〕30号是什么时候发布的": only the notice's date line answers).
   */
  numberTerms: QueryTerm[];
  /** The held notices the question names by number (their docIds): the answer is theirs. */
  namedNotices: string[];
}

/** The index's vocabulary and the question readers, as analysis needs them (ClauseRetriever is one). */
export interface QueryVocabulary {
  readonly tokenizer: Tokenizer;
  readonly regionDetector: RegionDetector;
  /** Inverse document frequency of a term; a term the notices never use gets the maximum. */
  idf(term: string): number;
  /** Whether the notices use this term anywhere. */
  knows(term: string): boolean;
  /** The held notices' document numbers, normalised as questions are, with their region (absent: none). */
  readonly documentNumbers?: ReadonlyArray<{ number: string; region: Region; docId: string }>;
}

/** Normalises a question and works out its terms, places and domain coverage. */
export function analyzeQuery(query: string, vocabulary: QueryVocabulary): QueryAnalysis {
  const { tokenizer } = vocabulary;
  const normalized = normalizeQuery(query);
  // A held notice's number ("京人社事业发〔2020〕30号从哪天起施行") names the notice, like a place name names
  // a region, not the clause: it selects the notice's region and is left out of the terms, or every clause
  // citing another 〔2020〕 number would win.
  const numbers = (vocabulary.documentNumbers ?? []).filter((d) => normalized.includes(d.number));
  const detected = vocabulary.regionDetector.detect(normalized);
  const regions =
    numbers.length === 0
      ? detected
      : { ...detected, held: [...new Set([...detected.held, ...numbers.map((d) => d.region)])] };
  const termText = numbers.reduce((text, d) => text.split(d.number).join(" "), normalized);
  const placeWords = new Set(regions.names.flatMap((n) => [n, ...tokenizer.words(n)]));
  // With a held region named, a place we hold nothing for is no choice of notices but a subject
  // ("重庆评的助工到巴中…": the notice's 川渝互认 clause names 重庆): it ranks as a word of its own.
  const subjectPlaces = regions.held.length > 0 ? new Set(regions.unheld) : new Set<string>();
  const rankedLow = new Set(
    regions.names
      .filter((n) => !subjectPlaces.has(n))
      .flatMap((n) => [n, ...tokenizer.words(n)])
      .filter((w) => !subjectPlaces.has(w)),
  );
  const terms = tokenizer.queryTerms(termText, rankedLow);
  const numberText = numbers.map((d) => d.number).join(" ");
  const numberTerms =
    numbers.length === 0
      ? []
      : tokenizer.queryTerms(numberText, new Set([numberText, ...tokenizer.words(numberText)]));
  // Durations and hedges (快两年半) say how the asker stands, not what the question is about.
  const contentWords = tokenizer
    .mainWords(normalized)
    .filter((w) => !placeWords.has(w) && !tokenizer.isFiller(w));
  let total = 0;
  let matched = 0;
  // A word inside a colloquial lexicon phrase ("叫啥", "打哪个电话") is understood through the phrase.
  const phrases = tokenizer.phrasesIn(normalized);
  for (const w of contentWords) {
    const known = wordIsKnown(w, vocabulary) || phrases.some((p) => p.includes(w));
    // Latin letters the notices never use ("abc", a stray tag name) say nothing about the subject of a
    // Chinese question; they must not turn an answerable question into a refusal.
    if (!known && LATIN_ONLY.test(w)) continue;
    // A lone character says little about the subject (交, 评, 算): it counts for half. An unknown word
    // gets the maximum IDF, which is what idf() gives a term the notices never use.
    const weight = vocabulary.idf(w) * (w.length === 1 ? 0.5 : 1);
    total += weight;
    if (known) matched += weight;
  }
  return {
    normalized,
    terms,
    regions,
    contentWords,
    coverage: total > 0 ? matched / total : 0,
    levels: tokenizer.levels.mask(normalized),
    numberTerms,
    namedNotices: numbers.map((d) => d.docId),
  };
}

/** A word is known when the notices use it, its synonym, or (for a compound) most of its parts. */
export function wordIsKnown(word: string, vocabulary: QueryVocabulary): boolean {
  const { tokenizer } = vocabulary;
  const knows = (term: string): boolean => vocabulary.knows(term);
  if (knows(word)) return true;
  // A lexicon phrase may be cut into several words ("县（区）" into 县/区): all of them must be known.
  const phraseKnown = (phrase: string): boolean => {
    if (knows(phrase)) return true;
    const parts = tokenizer.words(phrase);
    return parts.length > 0 && parts.every((p) => knows(p));
  };
  if (tokenizer.expansionsOf(word).some((e) => phraseKnown(e.phrase))) return true;
  const parts = tokenizer.words(word).filter((p) => p !== word);
  if (parts.length > 0 && parts.filter((p) => knows(p)).length * 2 >= parts.length) return true;
  // Unknown to jieba too: judge by its character bigrams.
  const grams = tokenizer.bigrams(word);
  return grams.length > 0 && grams.every((g) => knows(g));
}
