// The engine's trace: every step it took, so explanations and failing tests can show why.
import type { CriterionStatus, Verdict } from "../shared/report.ts";

export interface TestTrace {
  fact: string;
  op: string;
  expected: unknown;
  /** The fact's value as the engine saw it (`undefined` = unknown; `{max}` = only an upper bound known). */
  actual: unknown;
  status: CriterionStatus;
}

export type TraceStep =
  | { step: "ruleSet"; id: string; file: string; countTo: string; inForce: boolean }
  | { step: "criterion"; id: string; status: CriterionStatus; tests: TestTrace[]; notHeld?: string }
  | { step: "gate"; status: CriterionStatus }
  | { step: "path"; id: string; status: CriterionStatus }
  | { step: "verdict"; verdict: Verdict }
  | { step: "earliestEligible"; month: string | null; path?: string };
