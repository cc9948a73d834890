// The day a question is asked: whether the rounds it concerns are over, and years no held notice covers.
import type { KnowledgeBase } from "../knowledge/knowledge-base.ts";
import type { Region, Level } from "../shared/domain.ts";
import { allRoundsClosed, type ScopedRound } from "../shared/report.ts";
import { RULES_TEXT } from "../i18n/rules-messages.ts";
import { RETRIEVAL_TEXT } from "../i18n/retrieval-messages.ts";
import { wantsKind } from "./answer-sentences.ts";
import { compiledPattern } from "./compiled-pattern.ts";
import type { QueryAnalysis } from "./query-analysis.ts";
import type { ClauseRetriever } from "./retriever.ts";
import { levelsOf } from "./title-levels.ts";

/** The day asked and the rounds judged on it (absent: `ask` says nothing about time). */
export interface AskTiming {
  asOf: string;
  rounds: readonly ScopedRound[];
}

/**
 * The rounds a question concerns: those of the regions it names (else of the notice of its best clause),
 * at the levels it names (any level when none).
 */
export function roundsConcerned(
  kb: KnowledgeBase,
  timing: AskTiming,
  analysis: QueryAnalysis,
  topDocId: string | undefined,
): ScopedRound[] {
  const top = topDocId === undefined ? undefined : kb.notice(topDocId)?.meta.region;
  const regions: readonly Region[] =
    analysis.regions.held.length > 0 ? analysis.regions.held : top ? [top] : [];
  const levels: readonly Level[] = levelsOf(analysis.levels);
  return timing.rounds.filter(
    (r) => regions.includes(r.region) && (levels.length === 0 || r.levels.some((l) => levels.includes(l))),
  );
}

/**
 * The note for an answer when every round the question concerns is closed on the day asked ("该轮申报已于…
 * 结束", no later notice held). Only for answers quoting a round's notice or asking for a date: a standing
 * measure or the draft answers for itself.
 */
export function closedRoundNote(
  kb: KnowledgeBase,
  retriever: ClauseRetriever,
  timing: AskTiming | undefined,
  analysis: QueryAnalysis,
  topDocId: string | undefined,
): string | undefined {
  if (!timing) return undefined;
  const closed = allRoundsClosed(roundsConcerned(kb, timing, analysis, topDocId));
  if (closed === undefined) return undefined;
  const quotesRound = timing.rounds.some((r) => r.docId === topDocId);
  if (!quotesRound && !wantsKind(analysis, retriever, "date")) return undefined;
  return RULES_TEXT.roundClosed(closed);
}

/** Years a question asks about as a round's year ("2026年…申报", "明年"), not as the asker's own ("2022年毕业"). */
function askedYears(retriever: ClauseRetriever, analysis: QueryAnalysis, asOf: string): number[] {
  const { roundYear } = retriever.data.lexicon;
  if (!roundYear) return [];
  const personal = compiledPattern(roundYear.personalPattern);
  const about = compiledPattern(roundYear.aboutPattern);
  const text = analysis.normalized;
  const years: number[] = [];
  for (const m of text.matchAll(/(?<![\d〔[(（])(20\d{2})年度?/gu)) {
    const after = text.slice((m.index ?? 0) + m[0].length);
    if (personal.test(after.slice(0, 6)) || !about.test(after)) continue;
    years.push(Number(m[1]));
  }
  const thisYear = Number(asOf.slice(0, 4));
  for (const [word, offset] of Object.entries(roundYear.relative)) {
    const at = text.indexOf(word);
    if (at >= 0 && about.test(text.slice(at + word.length))) years.push(thisYear + offset);
  }
  return years;
}

// The years a round covers: from its opening to its last step, and any its notice's title names (2023年度).
function yearsCovered(kb: KnowledgeBase, round: ScopedRound): Set<number> {
  const years = new Set<number>();
  const first = Number((round.opens ?? round.lastStep).slice(0, 4));
  for (let y = first; y <= Number(round.lastStep.slice(0, 4)); y++) years.add(y);
  const title = kb.notice(round.docId)?.meta.title ?? "";
  for (const m of title.matchAll(/(20\d{2})年/gu)) years.add(Number(m[1]));
  return years;
}

/**
 * The refusal lead for a question about a round year that no held round of the regions concerned covers
 * ("2026年巴中职称什么时候申报"), naming the rounds that are held; undefined otherwise. Regions whose
 * notices hold no round at all (a standing measure) are not judged by year.
 */
export function uncoveredYear(
  kb: KnowledgeBase,
  retriever: ClauseRetriever,
  timing: AskTiming | undefined,
  analysis: QueryAnalysis,
  topDocId: string | undefined,
): string | undefined {
  if (!timing) return undefined;
  const years = askedYears(retriever, analysis, timing.asOf);
  if (years.length === 0) return undefined;
  const concerned = roundsConcerned(kb, timing, analysis, topDocId);
  if (concerned.length === 0) return undefined;
  const covered = new Set(concerned.flatMap((r) => [...yearsCovered(kb, r)]));
  const missing = years.filter((y) => !covered.has(y));
  if (missing.length === 0) return undefined;
  const held = concerned.map((r) => kb.notice(r.docId)?.meta.title ?? r.docId);
  return RETRIEVAL_TEXT.yearNotHeld(missing.map(String), held);
}
