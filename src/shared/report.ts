// Result shapes of the public contract (ask, clause, check, deadlines), shared by every entry point.
import type { Citation, Level, Region } from "./domain.ts";

/** `ask` result. `grounded` is false when no clause supports an answer. */
export interface AskResult {
  id?: string;
  question: string;
  answer: string;
  grounded: boolean;
  citations: Citation[];
}

/** `clause` result: ranked clauses, best first. */
export interface ClauseResult {
  query: string;
  clauses: Array<Citation & { score: number }>;
}

export type CriterionStatus = "met" | "unmet" | "unknown";
export type Verdict = "eligible" | "ineligible" | "undetermined";

export interface CriterionResult {
  id: string;
  description: string;
  status: CriterionStatus;
  citation: Citation;
}

export interface Assumption {
  description: string;
  citation: Citation;
}

/** A dated step of a round, as the notice prints it. */
export interface Deadline {
  /** Stable across runs and date changes: `<round id>/<step id>` from knowledge/deadlines (e.g. `zhejiang-ai-senior-2024/individual-online`). */
  id?: string;
  date: string;
  time?: string;
  what: string;
  /** Whose step it is: the applicant's, the employer's, a department's or the committee's. */
  who?: string;
  docId: string;
  citation: Citation;
}

export interface DeadlineWithScope extends Deadline {
  region: Region;
  levels: Level[];
}

export type RoundStatus = "upcoming" | "open" | "closed";

/** An application round (a notice with dated steps) judged on the day asked. */
export interface Round {
  docId: string;
  status: RoundStatus;
  /** `YYYY-MM-DD`: the round's last step (a counting date such as a qualification cut-off is no step). */
  lastStep: string;
}

/** A round with its scope, judged on the day asked: what `ask` needs to say whether a round is over. */
export interface ScopedRound extends Round {
  region: Region;
  levels: readonly Level[];
  /** The day it opens (null: unknown). */
  opens: string | null;
}

/** `check` result (eligibility report). */
export interface EligibilityReport {
  id?: string;
  verdict: Verdict;
  criteria: CriterionResult[];
  missing: string[];
  sourcesNotHeld: string[];
  assumptions: Assumption[];
  earliestEligible: string | null;
  deadlines: Deadline[];
  /** The rounds covering the profile's region and level, judged on `asOf`. */
  rounds: Round[];
}

/** A per-line error in a batch (contract: `{"id", "error": {"code", "message"}}`). */
export interface LineError {
  id?: unknown;
  error: { code: string; message: string };
}

/**
 * When there are rounds and every one is closed, the day the latest of them closed (what "该轮申报已于…结束"
 * names); undefined otherwise (no round at all, or one still upcoming or open).
 */
export function allRoundsClosed(rounds: readonly Round[]): string | undefined {
  if (rounds.length === 0 || rounds.some((r) => r.status !== "closed")) return undefined;
  return rounds.reduce((a, r) => (r.lastStep > a ? r.lastStep : a), "");
}
