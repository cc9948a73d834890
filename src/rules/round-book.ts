// The rounds of knowledge/deadlines judged on a day: what `ask` is told about time.
import type { KnowledgeBase } from "../knowledge/knowledge-base.ts";
import type { ScopedRound } from "../shared/report.ts";
import { loadRoundSpans } from "./deadlines.ts";
import { judgeRounds } from "./rounds.ts";

/** The day asked and every round judged on it. */
export interface RoundsOnDay {
  asOf: string;
  rounds: ScopedRound[];
}

/**
 * Loads the rounds of the deadline files in `dir` once (none when it does not exist) and returns the
 * function judging them on a day (YYYY-MM-DD).
 */
export function roundsOnDay(dir: string, kb: KnowledgeBase): (asOf: string) => RoundsOnDay {
  const spans = loadRoundSpans(dir, kb);
  return (asOf) => ({ asOf, rounds: judgeRounds(spans, asOf) });
}
