// Picks the sentences of a clause that answer a question (extractive answers).
import type { QueryAnalysis } from "./query-analysis.ts";
import type { ClauseRetriever } from "./retriever.ts";
import { BIGRAM_PREFIX } from "./tokenizer.ts";
import { compiledPattern } from "./compiled-pattern.ts";

/**
 * Splits clause text into sentences, keeping each sentence's closing punctuation. ASCII ";?!" between
 * ASCII letters or digits belong to an address ("103.203.218.251;8081", "index.jsp?id=1"), not prose.
 */
export function splitSentences(text: string): string[] {
  return (text.match(/(?:[A-Za-z0-9./:_=&%-][;?!](?=[A-Za-z0-9])|[^。；;！？!?\n])+[。；;！？!?]?/gu) ?? [])
    .map((s) => s.trim())
    .filter((s) => s !== "");
}

/** A kind of answer: the cues that ask for it and the pattern of text that gives it. */
interface AnswerKind {
  /** date, place, phone, amount, count… (see the lexicon's answerCues); a counted unit is "count". */
  name?: string | undefined;
  cues: readonly string[];
  /** Words that, in the question, mean it asks something else. */
  except?: readonly string[] | undefined;
  /** See the lexicon's answerCues: how far below the best hit a clause with this kind may go first. */
  minShare?: number | undefined;
  /** Text of this kind that answers something else unless the question asks with one of `unless`. */
  otherwise?: { pattern: string; unless: readonly string[] } | undefined;
  pattern: string;
  /** Met by nearly any text (a numeral): good for choosing a sentence, not for reordering clauses. */
  weak?: boolean | undefined;
}

const NUMERAL = "[\\d一二三四五六七八九十两百]";
/**
 * A number in the asked unit ("3年内不得申报" for 几年) is specific enough to lift a clause of the same
 * notice from a little further below the best hit than other kinds (see ANSWER_TYPE_RATIO).
 */
const COUNTED_UNIT_SHARE = 0.45;
const unitPatterns = new WeakMap<readonly string[], RegExp>();

/**
 * The count a question asks for in a unit ("多少学时", "几年", "几个人"): its answer states a number in
 * that unit ("满5年", "11人"). Stricter than "any numeral", which every clause number would satisfy.
 */
function askedQuantity(normalized: string, retriever: ClauseRetriever): AnswerKind | undefined {
  const { units } = retriever.data.lexicon.quantityUnits;
  let re = unitPatterns.get(units);
  if (!re) {
    const alternatives = [...units].sort((a, b) => b.length - a.length).join("|");
    re = new RegExp(`(?:多少|几)(?:个)?(${alternatives})`, "u");
    unitPatterns.set(units, re);
  }
  const m = re.exec(normalized);
  if (!m?.[1]) return undefined;
  // At most three digits, not preceded by another: "满5年" answers 几年, the year in "2024年度" does not.
  // A year unit is not the start of "年度" ("同一年度" states no number of years).
  const unit = m[1] === "年" ? "年(?!度)" : m[1];
  return {
    name: "count",
    cues: [m[0]],
    pattern: `(?<!\\d)${NUMERAL}{1,3}(?:个)?${unit}`,
    minShare: COUNTED_UNIT_SHARE,
  };
}

/**
 * Kinds of answer a question may ask for: the lexicon's answer cues, the exception route and a counted
 * unit. A unit replaces the kinds it alone triggered ("几年" asks for years, not for any numeral).
 */
function answerKinds(retriever: ClauseRetriever, normalized?: string): readonly AnswerKind[] {
  const { answerCues, exception } = retriever.data.lexicon;
  const kinds: AnswerKind[] = [...answerCues, exception];
  if (normalized === undefined) return kinds;
  const quantity = askedQuantity(normalized, retriever);
  if (!quantity) return kinds;
  const phrase = quantity.cues[0] ?? "";
  const rest = kinds.filter(({ cues }) => {
    const asked = cues.filter((c) => normalized.includes(c));
    return asked.length === 0 || asked.some((c) => !phrase.includes(c));
  });
  return [...rest, quantity];
}

/** The kinds of answer a question asks for (empty: it asks for none in particular). */
export function wantedKinds(analysis: QueryAnalysis, retriever: ClauseRetriever): readonly AnswerKind[] {
  // Asked for every candidate sentence of one question: worked out once per analysis.
  let kinds = wantedByAnalysis.get(analysis);
  if (!kinds) {
    kinds = answerKinds(retriever, analysis.normalized).filter(
      ({ cues, except }) =>
        cues.some((c) => analysis.normalized.includes(c)) &&
        !(except ?? []).some((w) => analysis.normalized.includes(w)),
    );
    wantedByAnalysis.set(analysis, kinds);
  }
  return kinds;
}

const wantedByAnalysis = new WeakMap<QueryAnalysis, readonly AnswerKind[]>();

/** Whether a question asks for the named kind of answer ("date" for 什么时候/截止, "phone" for 电话…). */
export function wantsKind(analysis: QueryAnalysis, retriever: ClauseRetriever, name: string): boolean {
  return wantedKinds(analysis, retriever).some((k) => k.name === name);
}

/** A clause's own number ("（三）", "2.") is not a numeral of its content. */
const OWN_NUMBER_AT_LINE = /^[（(]?[一二三四五六七八九十\d]+[)）、.．]/gmu;

/**
 * A sentence naming only other levels than the asked one loses this much. One naming the asked level gains
 * nothing: a level named in passing ("…推荐至正高评委会") must not outweigh the sentence holding the asked words.
 */
const LEVEL_SENTENCE_FACTOR = 1.5;

/** Whether a question asks for a kind of answer (a date, a sum, a phone number…) that the text has. */
export function hasAnswerType(
  text: string,
  analysis: QueryAnalysis,
  retriever: ClauseRetriever,
  strongOnly = false,
): boolean | undefined {
  const wanted = wantedKinds(analysis, retriever).filter((k) => !strongOnly || k.weak !== true);
  if (wanted.length === 0) return undefined;
  const content = text.replace(OWN_NUMBER_AT_LINE, "");
  return wanted.some(
    (k) => compiledPattern(k.pattern).test(content) && !answersOtherwise(k, content, analysis),
  );
}

/** The specific (not weak) kinds asked for that a sentence gives. */
export function kindsGiven(
  sentence: string,
  analysis: QueryAnalysis,
  retriever: ClauseRetriever,
): readonly AnswerKind[] {
  const content = sentence.replace(OWN_NUMBER_AT_LINE, "");
  return wantedKinds(analysis, retriever).filter(
    (k) =>
      k.weak !== true && compiledPattern(k.pattern).test(content) && !answersOtherwise(k, content, analysis),
  );
}

// Whether the text's answer of this kind is of another question (a cut-off date for a deadline question).
function answersOtherwise(kind: AnswerKind, content: string, analysis: QueryAnalysis): boolean {
  const other = kind.otherwise;
  if (!other || other.unless.some((w) => analysis.normalized.includes(w))) return false;
  // Each answer of the kind must be of the other sort: a sentence with a deadline beside a cut-off answers.
  const kindRe = compiledPattern(kind.pattern);
  const otherRe = compiledPattern(other.pattern);
  return content
    .split(/[，,]/u)
    .filter((part) => kindRe.test(part))
    .every((part) => otherRe.test(part));
}

/** How well one sentence answers: the weighted query terms it contains, plus the answer-type bonus. */
export function scoreSentence(sentence: string, analysis: QueryAnalysis, retriever: ClauseRetriever): number {
  let score = 0;
  const lower = sentence.toLowerCase();
  for (const { term, weight } of analysis.terms) {
    const surface = term.startsWith(BIGRAM_PREFIX) ? term.slice(1) : term;
    if (lower.includes(surface)) score += weight * retriever.idf(term);
  }
  const content = sentence.replace(OWN_NUMBER_AT_LINE, "");
  for (const kind of wantedKinds(analysis, retriever)) {
    if (compiledPattern(kind.pattern).test(content) && !answersOtherwise(kind, content, analysis))
      score *= 1.5;
  }
  if (analysis.levels !== 0) {
    // "工程师" is a substring of "助理工程师": the term match above cannot tell levels apart, this can.
    const named = retriever.tokenizer.levels.mask(sentence);
    if (named !== 0) score *= (named & analysis.levels) !== 0 ? 1 : 1 / LEVEL_SENTENCE_FACTOR;
  }
  return score;
}

/**
 * For each specific kind asked for that `answer` does not give, the index of the clause's best sentence
 * giving it (none when only one kind is asked for).
 */
function otherKindSentences(
  sentences: readonly string[],
  answer: string,
  analysis: QueryAnalysis,
  retriever: ClauseRetriever,
): number[] {
  const kinds = wantedKinds(analysis, retriever).filter((k) => k.weak !== true);
  if (kinds.length < 2) return [];
  const gives = (k: AnswerKind, text: string): boolean => {
    const content = text.replace(OWN_NUMBER_AT_LINE, "");
    return compiledPattern(k.pattern).test(content) && !answersOtherwise(k, content, analysis);
  };
  const found = new Set<number>();
  for (const k of kinds) {
    if (gives(k, answer)) continue;
    let best = -1;
    let bestScore = -1;
    sentences.forEach((s, i) => {
      if (!gives(k, s)) return;
      const score = scoreSentence(s, analysis, retriever);
      if (score > bestScore) {
        best = i;
        bestScore = score;
      }
    });
    if (best >= 0) found.add(best);
  }
  return [...found];
}

/** At most this many "；" parts follow the answering part to its sentence's end (else it stays alone). */
const SENTENCE_PARTS_MAX = 2;

/** Sentences shorter than this are a clause's own label ("（二）时间安排。"), not an answer. */
const LABEL_MAX_CHARS = 16;

/** The best-answering sentence of a clause (with the next one when the best is only a label). */
export function answerSentences(
  text: string,
  analysis: QueryAnalysis,
  retriever: ClauseRetriever,
): { text: string; score: number } {
  const sentences = splitSentences(text);
  // A sentence with the asked kind of answer (the address for 寄到哪, a date for 什么时候) is the answer
  // whenever the clause has one; the other sentences share the question's words but not its answer. A
  // specific kind (a phone number for 电话多少) goes before "any numeral" (多少), which a date line also has.
  const strong = sentences.map((s) => hasAnswerType(s, analysis, retriever, true) === true);
  const typed = strong.some(Boolean)
    ? strong
    : sentences.map((s) => hasAnswerType(s, analysis, retriever) === true);
  const anyTyped = typed.some(Boolean);
  let best = -1;
  let bestScore = -1;
  sentences.forEach((s, i) => {
    if (anyTyped && !typed[i]) return;
    const score = scoreSentence(s, analysis, retriever);
    if (score > bestScore) {
      best = i;
      bestScore = score;
    }
  });
  if (best < 0) return { text, score: 0 };
  const picked = [sentences[best] ?? ""];
  const head = sentences[best] ?? "";
  let end = best;
  // A label or a lead-in ("具备下列成果条件:") needs what follows it to say anything.
  if (sentences[best + 1] && (head.length <= LABEL_MAX_CHARS || /[:：]$/u.test(head))) {
    end = best + 1;
    picked.push(sentences[end] ?? "");
  }
  // A piece ending in "；" is a part of a sentence whose end holds what applies to every part ("…满5年；或
  // …满2年，且符合《基本条件》的，首次申报可…直接申报评审工程师职称。"): the sentence goes on to its end.
  let extra = 0;
  while (/[；;]$/u.test(picked.at(-1) ?? "") && sentences[end + 1] && extra < SENTENCE_PARTS_MAX) {
    end++;
    extra++;
    picked.push(sentences[end] ?? "");
  }
  if (/[；;]$/u.test(picked.at(-1) ?? "")) picked.splice(picked.length - extra, extra);
  // Asked for two kinds at once ("电话多少，办公室在哪"): the best sentence of each other kind joins, in
  // the clause's order.
  const others = otherKindSentences(sentences, picked.join(""), analysis, retriever).filter(
    (i) => i < best || i > end,
  );
  if (others.length > 0) {
    const parts = [
      ...others.map((i) => ({ i, text: sentences[i] ?? "" })),
      { i: best, text: picked.join("") },
    ];
    return {
      text: parts
        .sort((a, b) => a.i - b.i)
        .map((p) => p.text)
        .join(""),
      score: bestScore,
    };
  }
  return { text: picked.join(""), score: bestScore };
}
