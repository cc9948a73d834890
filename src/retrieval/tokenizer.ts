// Segmentation for ranking: jieba words (with the domain dictionary) plus character bigrams.
import { Jieba } from "@node-rs/jieba";
import { dict } from "@node-rs/jieba/dict.js";
import type { Lexicon } from "./retrieval-data.ts";
import { LevelDetector } from "./title-levels.ts";

let jieba: Jieba | undefined;
const loadedWords = new Set<string>();

// One segmenter per process: the default dictionary takes ~100 ms to load.
function segmenter(domainWords: readonly string[]): Jieba {
  jieba ??= Jieba.withDict(dict);
  const fresh = domainWords.filter((w) => !loadedWords.has(w));
  if (fresh.length > 0) {
    // A middling frequency: high enough that the word is kept whole, low enough not to swallow
    // the ends of neighbouring words ("提高工作" must stay 提高/工作, not 提/高工/作).
    jieba.loadDict(Buffer.from(fresh.map((w) => `${w} 3000 n`).join("\n") + "\n"));
    for (const w of fresh) loadedWords.add(w);
  }
  return jieba;
}

/** Texts up to this length have their words remembered; the map is cleared past SHORT_CACHE_LIMIT entries. */
const SHORT_TEXT = 12;
const SHORT_CACHE_LIMIT = 20_000;

/** Prefix that keeps bigram terms apart from word terms in one vocabulary. */
export const BIGRAM_PREFIX = "\u0001";

const CJK_RUN = /[\u3400-\u9fff\uf900-\ufaff]+/gu;
const WORDLIKE = /[\p{L}\p{N}]/u;

/** A query term with its weight; `content` marks the words that count towards domain coverage. */
export interface QueryTerm {
  term: string;
  weight: number;
}

/** Weights of the different kinds of query terms (relative to a word the user typed). */
const WEIGHT = { word: 1, part: 0.3, synonym: 0.8, related: 0.4, bigram: 0.3 } as const;

/** jieba + lexicon, shared by the index and the queries so both sides cut text the same way. */
export class Tokenizer {
  private readonly stop: ReadonlySet<string>;
  private readonly fillerWords: ReadonlySet<string>;
  private readonly fillerPattern: RegExp;
  private readonly expansions = new Map<string, Array<{ phrase: string; weight: number }>>();
  /** Each domain subject term with all its names (see subjectForms). */
  private readonly subjects = new Map<string, string[]>();
  /** Multi-character lexicon entries, longest first: found in a question whatever jieba makes of it. */
  private phraseKeys: string[] = [];
  readonly levels: LevelDetector;

  constructor(readonly lexicon: Lexicon) {
    this.levels = new LevelDetector(lexicon);
    const extra = [
      ...lexicon.synonyms.flatMap((s) => [s.canonical, ...s.variants]),
      ...lexicon.related.flat(),
    ];
    segmenter([...lexicon.domainWords, ...extra.filter((w) => w.length > 1)]);
    this.stop = new Set(lexicon.stopWords);
    this.fillerWords = new Set(lexicon.fillers.words);
    this.fillerPattern = new RegExp(lexicon.fillers.pattern, "u");
    for (const { canonical, variants } of lexicon.synonyms) {
      for (const v of variants) {
        this.addExpansion(v, canonical, WEIGHT.synonym);
        // Variants name the same thing, so each also finds the others (副高 finds 副高级).
        for (const other of variants) if (other !== v) this.addExpansion(v, other, WEIGHT.related);
      }
    }
    for (const group of lexicon.related) {
      for (const a of group) for (const b of group) if (a !== b) this.addExpansion(a, b, WEIGHT.related);
    }
    for (const { canonical, variants } of lexicon.synonyms) {
      const names = [canonical, ...variants];
      for (const n of names) this.subjects.set(n, [...new Set([...(this.subjects.get(n) ?? [n]), ...names])]);
    }
    for (const w of lexicon.domainWords) if (!this.subjects.has(w)) this.subjects.set(w, [w]);
    this.phraseKeys = [...this.expansions.keys()]
      .filter((k) => k.length > 1)
      .sort((a, b) => b.length - a.length);
  }

  /**
   * Lexicon entries a text contains as written. Colloquial forms ("打哪个电话", "分几级") span stop
   * words and word boundaries that jieba cuts through, so a word-by-word lookup alone would miss them.
   */
  phrasesIn(text: string): string[] {
    const lower = text.toLowerCase();
    return this.phraseKeys.filter((k) => lower.includes(k));
  }

  private addExpansion(from: string, phrase: string, weight: number): void {
    const list = this.expansions.get(from) ?? [];
    list.push({ phrase, weight });
    this.expansions.set(from, list);
  }

  /**
   * Words of a text as jieba cuts them (search mode: long words also yield their parts). A part that
   * names another level than the text does is dropped: search mode yields 工程师 out of 高级工程师,
   * and an engineer question would then match every senior clause (副高 out of 副高级 stays).
   */
  words(text: string): string[] {
    // Place names, phrases and the parts of each query word are cut again on every question: short
    // texts are remembered (a bounded map; jieba is a native call per text).
    if (text.length > SHORT_TEXT) return this.cutWords(text);
    let words = this.shortWords.get(text);
    if (!words) {
      if (this.shortWords.size >= SHORT_CACHE_LIMIT) this.shortWords.clear();
      words = this.cutWords(text);
      this.shortWords.set(text, words);
    }
    return [...words];
  }

  private readonly shortWords = new Map<string, string[]>();

  private cutWords(text: string): string[] {
    const lower = text.toLowerCase();
    const words = segmenter([])
      .cutForSearch(lower, false)
      .filter((w) => WORDLIKE.test(w) && !this.stop.has(w));
    if (!words.some((w) => this.levels.isLevelName(w))) return words;
    const named = this.levels.mask(lower);
    return words.filter((w) => (this.levels.maskOf(w) & named) !== 0 || !this.levels.isLevelName(w));
  }

  /** Top-level words only (no sub-words): what the user actually said, for coverage. */
  mainWords(text: string): string[] {
    return segmenter([])
      .cut(text.toLowerCase(), false)
      .filter((w) => WORDLIKE.test(w) && !this.stop.has(w));
  }

  isStopWord(word: string): boolean {
    return this.stop.has(word);
  }

  /**
   * Whether a word only qualifies the asker's story (两年半, 五年, 一家, 快, 大概): no subject of a
   * question, so it must neither lower coverage nor start an off-topic run of unknown words.
   */
  isFiller(word: string): boolean {
    return this.fillerWords.has(word) || this.fillerPattern.test(word);
  }

  /** Bigrams of each run of Chinese characters (robust where jieba cuts query and text differently). */
  bigrams(text: string): string[] {
    const out: string[] = [];
    for (const run of text.match(CJK_RUN) ?? []) {
      for (let i = 0; i + 1 < run.length; i++) out.push(BIGRAM_PREFIX + run.slice(i, i + 2));
    }
    return out;
  }

  /** Index terms of a text: its words and its bigrams. */
  terms(text: string): string[] {
    return [...this.words(text), ...this.bigrams(text)];
  }

  /**
   * A domain subject term (a domain word or a synonym group member) with every name it goes by, the
   * word's own group's canonical name first when it has one; undefined for any other word.
   */
  subjectForms(word: string): readonly string[] | undefined {
    const forms = this.subjects.get(word);
    if (!forms) return undefined;
    const canonical = this.lexicon.synonyms.find((s) => s.canonical === word || s.variants.includes(word));
    return canonical ? [canonical.canonical, ...forms.filter((f) => f !== canonical.canonical)] : forms;
  }

  /** Synonyms and related terms of a word (the canonical phrase first). */
  expansionsOf(word: string): ReadonlyArray<{ phrase: string; weight: number }> {
    return this.expansions.get(word) ?? [];
  }

  /**
   * Weighted terms of a query: its words (weight 1), the words of their synonyms and related
   * terms, and bigrams (low weight). `lowWeightWords` (e.g. place names) count for less.
   */
  queryTerms(text: string, lowWeightWords: ReadonlySet<string> = new Set()): QueryTerm[] {
    const weights = new Map<string, number>();
    const put = (term: string, weight: number): void => {
      if ((weights.get(term) ?? 0) < weight) weights.set(term, weight);
    };
    // Parts of a long word (正高级 inside 正高级工程师) back it up but must not count it twice over.
    for (const w of this.words(text)) put(w, WEIGHT.part);
    const expand = (w: string): void => {
      for (const { phrase, weight } of this.expansionsOf(w)) {
        for (const pw of this.words(phrase)) put(pw, weight);
        for (const bg of this.bigrams(phrase)) put(bg, weight * WEIGHT.bigram);
      }
    };
    const main = this.mainWords(text);
    for (const w of main) {
      put(w, lowWeightWords.has(w) ? WEIGHT.bigram : WEIGHT.word);
      expand(w);
    }
    for (const p of this.phrasesIn(text)) if (!main.includes(p)) expand(p);
    for (const bg of this.bigrams(text)) put(bg, WEIGHT.bigram);
    return [...weights].map(([term, weight]) => ({ term, weight }));
  }
}
