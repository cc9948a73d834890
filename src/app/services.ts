// The application's operations, independent of the entry point (CLI, HTTP, bots); built by src/main.ts.
import type { Config } from "../config.ts";
import type { KnowledgeBase } from "../knowledge/knowledge-base.ts";
import type { Clock } from "../shared/clock.ts";
import type {
  AskResult,
  ClauseResult,
  DeadlineWithScope,
  EligibilityReport,
  LineError,
} from "../shared/report.ts";
import type { Level, Region } from "../shared/domain.ts";
import type { Profile } from "../shared/profile.ts";

/** Which deadlines to list; every field optional. */
export interface DeadlineFilter {
  region?: Region;
  level?: Level;
  after?: string;
}

/** The application's operations, independent of the entry point (CLI, HTTP, bots). */
export interface Services {
  config: Config;
  clock: Clock;
  knowledge: () => KnowledgeBase;
  /**
   * Builds now what is otherwise built on first use (the notices, the retrieval index, the rules), so a
   * long-running entry point (`serve`, `chat`) does not make its first user wait for it.
   */
  prepare: () => void;
  /** Checks a question before answering: a clear Chinese message for empty, huge or meaningless input. */
  checkQuestion: (
    raw: unknown,
  ) => { ok: true; question: string } | { ok: false; code: string; message: string };
  /** A policy answer; `asOf` (YYYY-MM-DD, default today) is the day asked: a round may be over by then. */
  ask: (question: string, asOf?: string) => Promise<AskResult>;
  clauses: (query: string, limit: number) => ClauseResult;
  /** An eligibility report, or a line error (code and Chinese message) for an invalid profile. */
  check: (profile: unknown) => EligibilityReport | LineError;
  /** The engine on a validated profile (the dialog's view). */
  assess: (profile: Profile, asOf: string) => EligibilityReport;
  deadlines: (filter: DeadlineFilter) => DeadlineWithScope[];
  ics: (deadlines: DeadlineWithScope[]) => string;
}
