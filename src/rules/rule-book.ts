// Compiled rules: what the engine evaluates (citations resolved, facts and operators checked).
import type { Citation, Level, Region } from "../shared/domain.ts";
import type { ProfileField } from "../shared/profile.ts";
import type { Assumption, CriterionResult, CriterionStatus } from "../shared/report.ts";
import type { DeadlineBook } from "./deadlines.ts";
import type { FactView } from "./evaluate.ts";
import type { FactName } from "./facts.ts";
import type { AwardMatch } from "./rule-schema.ts";

export type CompiledTest =
  | {
      fact: FactName;
      op: "in";
      value: ReadonlySet<string>;
      /** The same values in file order, for the trace. */ list: readonly string[];
      /** Values the notice neither names nor excludes: unknown rather than unmet (e.g. 参公 under "企事业单位"). */
      unknown: ReadonlySet<string>;
    }
  | { fact: FactName; op: "eq"; value: boolean }
  | { fact: FactName; op: "gte"; value: number }
  | { fact: FactName; op: "anyAward"; value: readonly AwardMatch[] }
  | { fact: FactName; op: "held"; value: TitleHeld };

/** "取得<level>职称后满<months>个月" (optionally of the other/same series). */
export interface TitleHeld {
  level: Level;
  months: number;
  series?: "same" | "other";
}

/** A test or criterion compiled to a closure at load: one profile's facts → status, allocation-free. */
export type TestFn = (facts: FactView) => CriterionStatus;

export interface CompiledCriterion {
  id: string;
  description: string;
  /** Frozen and shared by every report that cites it (never copied per report). */
  citation: Citation;
  tests: readonly CompiledTest[];
  /** `tests` compiled to closures, same order. */
  testFns: readonly TestFn[];
  /** All-of `testFns` (always unknown when opaque). */
  check: TestFn;
  /** The report entry for each status, built once at load, frozen and shared by every report. */
  results: Readonly<Record<CriterionStatus, CriterionResult>>;
  /** Title of the document we do not hold that sets this condition. */
  notHeld?: string;
  /** True when no notice states any condition (always unknown, nothing to ask). */
  opaque: boolean;
  /** Profile fields the tests read. */
  fields: readonly ProfileField[];
}

export interface CompiledPath {
  id: string;
  description: string;
  /** Indices into `criteria`. */
  criteria: readonly number[];
  /** True when a criterion of the path can never be known (not held / no conditions). */
  opaque: boolean;
}

export interface RuleSet {
  file: string;
  id: string;
  region: Region;
  level: Level;
  validFrom?: string;
  validTo?: string;
  cutoff?: { date: string; citation: Citation };
  criteria: readonly CompiledCriterion[];
  gate: readonly number[];
  paths: readonly CompiledPath[];
  assumptions: readonly Assumption[];
}

/** All rule sets, indexed by `region/level`, sorted by `validFrom`; plus the rounds' deadlines. */
export interface RuleBook {
  ruleSets: readonly RuleSet[];
  byScope: ReadonlyMap<string, readonly RuleSet[]>;
  deadlines: DeadlineBook;
}

export function scopeKey(region: Region, level: Level): string {
  return `${region}/${level}`;
}
