// Three-valued evaluation of compiled tests and criteria against one profile (absent fact = unknown).
import type { Profile, ProfileField } from "../shared/profile.ts";
import type { CriterionStatus } from "../shared/report.ts";
import { TITLE_GRADE, type FactName } from "./facts.ts";
import { laterMonth, monthIndex } from "./months.ts";
import type { CompiledCriterion, CompiledTest, TestFn, TitleHeld } from "./rule-book.ts";
import type { AwardMatch } from "./rule-schema.ts";
import type { TestTrace } from "./trace.ts";

/** A numeric fact known exactly, known only to be at most `max`, or unknown. */
interface NumberFact {
  min: number;
  max: number;
  /** Month index the count starts from, when known exactly (for the earliest-eligible month). */
  start?: number;
}

const UNKNOWN_NUMBER: NumberFact = { min: -Infinity, max: Infinity };

function bounds(min: number, max: number, start: number | undefined): NumberFact {
  return start === undefined ? { min, max } : { min, max, start };
}

/**
 * The facts of one profile counted to one month; derived facts are computed once, on first use. The hot
 * path (`atLeast`) reads them from plain number fields, so an evaluation allocates no fact objects.
 */
export class FactView {
  readonly profile: Profile;
  /** Month index years are counted to (the round's cut-off, else asOf). */
  readonly countTo: number;
  // Work and title months as bounds (min = max when known exactly, ±Infinity when unbounded) and the
  // month index counting starts from when known exactly; computed on first use.
  private workDone = false;
  private workMin = -Infinity;
  private workMax = Infinity;
  private workStart: number | undefined = undefined;
  private titleDone = false;
  private titleMin = -Infinity;
  private titleMax = Infinity;
  private titleStart: number | undefined = undefined;

  /** `countTo` as `YYYY-MM[-DD]` or as a month index already computed (the engine caches it per day). */
  constructor(profile: Profile, countTo: string | number) {
    this.profile = profile;
    this.countTo = typeof countTo === "number" ? countTo : monthIndex(countTo);
  }

  private computeWork(): void {
    this.workDone = true;
    const { graduated, specialtyWorkSince } = this.profile;
    if (graduated !== undefined && specialtyWorkSince !== undefined) {
      const start = monthIndex(laterMonth(graduated, specialtyWorkSince));
      this.workMin = this.workMax = this.countTo - start;
      this.workStart = start;
    } else if (graduated !== undefined || specialtyWorkSince !== undefined) {
      // Counting starts at the later of the two: one known start only bounds the count from above.
      this.workMin = -Infinity;
      this.workMax = this.countTo - monthIndex((graduated ?? specialtyWorkSince) as string);
    }
  }

  private computeTitle(): void {
    this.titleDone = true;
    const obtained = this.profile.currentTitle?.obtained;
    if (obtained !== undefined) {
      const start = monthIndex(obtained);
      this.titleMin = this.titleMax = this.countTo - start;
      this.titleStart = start;
    }
  }

  /** Status of `fact ≥ value` (the `gte` test), without allocating. */
  atLeast(fact: FactName, value: number): CriterionStatus {
    let min = -Infinity;
    let max = Infinity;
    if (fact === "workMonths") {
      if (!this.workDone) this.computeWork();
      min = this.workMin;
      max = this.workMax;
    } else if (fact === "titleMonths") {
      if (!this.titleDone) this.computeTitle();
      min = this.titleMin;
      max = this.titleMax;
    } else {
      const v = this.plainNumber(fact);
      if (v !== undefined) min = max = v;
    }
    return min >= value ? "met" : max < value ? "unmet" : "unknown";
  }

  /** Whole months the current title has been held (to countTo), or undefined when `obtained` is not known. */
  titleHeldMonths(): number | undefined {
    if (!this.titleDone) this.computeTitle();
    return this.titleStart === undefined ? undefined : this.titleMin;
  }

  /** Month index a duration fact counts from, when known exactly (for the earliest-eligible month). */
  startMonth(fact: FactName): number | undefined {
    if (fact === "workMonths") {
      if (!this.workDone) this.computeWork();
      return this.workStart;
    }
    if (fact === "titleMonths") {
      if (!this.titleDone) this.computeTitle();
      return this.titleStart;
    }
    return undefined;
  }

  numberFact(fact: FactName): NumberFact {
    if (fact === "workMonths") {
      if (!this.workDone) this.computeWork();
      return bounds(this.workMin, this.workMax, this.workStart);
    }
    if (fact === "titleMonths") {
      if (!this.titleDone) this.computeTitle();
      return bounds(this.titleMin, this.titleMax, this.titleStart);
    }
    const v = this.plainNumber(fact);
    return v === undefined ? UNKNOWN_NUMBER : { min: v, max: v };
  }

  private plainNumber(fact: FactName): number | undefined {
    return fact === "achievements"
      ? this.profile.achievements
      : fact === "selfScore"
        ? this.profile.selfScore
        : undefined;
  }

  /** The value of a scalar fact, or undefined when unknown. */
  scalar(fact: FactName): string | boolean | undefined {
    const p = this.profile;
    switch (fact) {
      case "currentTitle.level":
        return p.currentTitle?.level;
      case "currentTitle.series":
        return p.currentTitle?.series;
      case "employerType":
      case "education":
      case "performanceMet":
      case "continuingEducationMet":
      case "otherApplicationThisYear":
      case "firstApplication":
        return p[fact];
      default:
        return undefined;
    }
  }

  /** Profile fields whose absence leaves this fact unknown. */
  unknownFields(fact: FactName): ProfileField[] {
    const p = this.profile;
    switch (fact) {
      case "workMonths":
        return (["graduated", "specialtyWorkSince"] as const).filter((f) => p[f] === undefined);
      case "titleMonths":
      case "currentTitle":
      case "currentTitle.level":
      case "currentTitle.series":
        return ["currentTitle"];
      default:
        return [fact];
    }
  }
}

/** Status of one test (the interpreter; the engine runs the closure `compileTest` builds from it at load). */
export function evaluateTest(test: CompiledTest, facts: FactView): CriterionStatus {
  switch (test.op) {
    case "in": {
      const v = facts.scalar(test.fact);
      return inStatus(v, test.value, test.unknown);
    }
    case "eq": {
      const v = facts.scalar(test.fact);
      return v === undefined ? "unknown" : v === test.value ? "met" : "unmet";
    }
    case "gte": {
      const n = facts.numberFact(test.fact);
      return n.min >= test.value ? "met" : n.max < test.value ? "unmet" : "unknown";
    }
    case "anyAward":
      return awardStatus(test.value, facts.profile.awards);
    case "held":
      return heldStatus(test.value, facts);
  }
}

function inStatus(
  v: string | boolean | undefined,
  values: ReadonlySet<string>,
  unknown: ReadonlySet<string>,
): CriterionStatus {
  if (v === undefined) return "unknown";
  if (values.has(v as string)) return "met";
  return unknown.has(v as string) ? "unknown" : "unmet";
}

/**
 * "取得<level>职称后满N个月" in three values. The same grade counts from `obtained`. A higher grade was
 * reached after the required one, so the required one has been held at least as long: met when the
 * higher title alone is old enough, otherwise unknown (when the lower one came is not recorded).
 */
function heldStatus(need: TitleHeld, facts: FactView): CriterionStatus {
  const title = facts.profile.currentTitle;
  if (title === undefined) return "unknown";
  if (title.level === "none" || TITLE_GRADE[title.level] < TITLE_GRADE[need.level]) return "unmet";
  if (need.series !== undefined && title.series !== undefined && title.series !== need.series) return "unmet";
  const months = facts.titleHeldMonths();
  const higher = TITLE_GRADE[title.level] > TITLE_GRADE[need.level];
  let status: CriterionStatus;
  if (months === undefined) status = "unknown";
  else if (months >= need.months) status = "met";
  else status = higher ? "unknown" : "unmet";
  return status === "met" && need.series !== undefined && title.series === undefined ? "unknown" : status;
}

function awardStatus(matches: readonly AwardMatch[], awards: Profile["awards"]): CriterionStatus {
  if (awards === undefined) return "unknown";
  for (const a of awards)
    for (const m of matches)
      if (m.kinds.includes(a.kind) && (m.maxRank === undefined || a.rank <= m.maxRank)) return "met";
  return "unmet";
}

/**
 * Compiles a test into a closure at load, so an evaluation neither switches on the operator nor
 * allocates (the interpreter `evaluateTest` stays the reference the closure must agree with).
 */
export function compileTestFn(test: CompiledTest): TestFn {
  switch (test.op) {
    case "in": {
      const { fact, value, unknown } = test;
      return (facts) => inStatus(facts.scalar(fact), value, unknown);
    }
    case "eq": {
      const { fact, value } = test;
      return (facts) => {
        const v = facts.scalar(fact);
        return v === undefined ? "unknown" : v === value ? "met" : "unmet";
      };
    }
    case "gte": {
      const { fact, value } = test;
      return (facts) => facts.atLeast(fact, value);
    }
    case "anyAward": {
      const matches = test.value;
      return (facts) => awardStatus(matches, facts.profile.awards);
    }
    case "held": {
      const need = test.value;
      return (facts) => heldStatus(need, facts);
    }
  }
}

/** A criterion's status as one closure: all-of its test closures, short-circuiting on the first unmet. */
export function compileCriterionFn(opaque: boolean, tests: readonly TestFn[]): TestFn {
  if (opaque || tests.length === 0) return () => "unknown";
  return (facts) => {
    let result: CriterionStatus = "met";
    for (const t of tests) {
      const s = t(facts);
      if (s === "unmet") return "unmet";
      if (s === "unknown") result = "unknown";
    }
    return result;
  };
}

/** All-of in three values: any unmet → unmet; all met → met; else unknown. */
export function allOf(statuses: Iterable<CriterionStatus>): CriterionStatus {
  let result: CriterionStatus = "met";
  for (const s of statuses) {
    if (s === "unmet") return "unmet";
    if (s === "unknown") result = "unknown";
  }
  return result;
}

/** Any-of in three values: any met → met; all unmet → unmet; else unknown. */
export function anyOf(statuses: Iterable<CriterionStatus>): CriterionStatus {
  let result: CriterionStatus = "unmet";
  for (const s of statuses) {
    if (s === "met") return "met";
    if (s === "unknown") result = "unknown";
  }
  return result;
}

/** Status of a criterion and, for the trace, of each of its tests. */
export function evaluateCriterion(
  c: CompiledCriterion,
  facts: FactView,
): { status: CriterionStatus; tests: CriterionStatus[] } {
  if (c.opaque) return { status: "unknown", tests: [] };
  const tests = c.tests.map((t) => evaluateTest(t, facts));
  return { status: allOf(tests), tests };
}

/** The trace form of a test: expected value and the fact as seen. */
export function traceTest(test: CompiledTest, status: CriterionStatus, facts: FactView): TestTrace {
  const expected = test.op === "in" ? test.list : test.value;
  let actual: unknown;
  if (test.op === "gte") {
    const n = facts.numberFact(test.fact);
    actual = n.min === n.max ? n.min : Number.isFinite(n.max) ? { max: n.max } : undefined;
  } else if (test.op === "anyAward") actual = facts.profile.awards;
  else actual = facts.scalar(test.fact);
  return { fact: test.fact, op: test.op, expected, actual, status };
}
