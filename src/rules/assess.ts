// The eligibility engine: (rules, profile, asOf) → report + trace. Pure and synchronous.
import type { Level, Region } from "../shared/domain.ts";
import type { Profile } from "../shared/profile.ts";
import type {
  Assumption,
  CriterionResult,
  CriterionStatus,
  Deadline,
  EligibilityReport,
  LineError,
  Round,
  Verdict,
} from "../shared/report.ts";
import { listDeadlines } from "./deadlines.ts";
import { earliestEligible } from "./earliest-eligible.ts";
import { FactView, evaluateCriterion, traceTest } from "./evaluate.ts";
import { markImmutable } from "./immutable.ts";
import { missingFacts, sourcesNotHeld, type Evaluation } from "./missing-facts.ts";
import { monthIndex } from "./months.ts";
import { roundsCovering } from "./rounds.ts";
import {
  scopeKey,
  type CompiledCriterion,
  type CompiledPath,
  type RuleBook,
  type RuleSet,
} from "./rule-book.ts";
import type { TraceStep } from "./trace.ts";
import { validateProfile } from "./validate-profile.ts";

/**
 * The rule set for a region and level at `asOf`: the latest in force, else (asOf before every known
 * round) the next one, so the applicant still learns the conditions they will face.
 */
export function pickRuleSet(
  book: RuleBook,
  region: Region,
  level: Level,
  asOf: string,
): { rs: RuleSet; inForce: boolean } | null {
  const list = book.byScope.get(scopeKey(region, level)) ?? [];
  let inForce: RuleSet | undefined;
  for (const rs of list) {
    if (
      (rs.validFrom === undefined || rs.validFrom <= asOf) &&
      (rs.validTo === undefined || asOf <= rs.validTo)
    )
      inForce = rs;
  }
  if (inForce) return { rs: inForce, inForce: true };
  const next = list.find((rs) => rs.validFrom !== undefined && rs.validFrom > asOf);
  return next ? { rs: next, inForce: false } : null;
}

/** Everything about a (rule book, region, level, asOf day) that does not depend on the profile. */
interface DayContext {
  picked: { rs: RuleSet; inForce: boolean };
  countTo: string;
  countToIndex: number;
  /** Frozen, shared by every report of that day. */
  deadlines: Deadline[];
  /** Frozen, shared by every report of that day. */
  rounds: Round[];
  /** Report criteria arrays by status vector (base-3 code), frozen and shared. */
  criteria: Map<number, CriterionResult[]>;
}

// Per book, region, level and asOf day. A batch sees few distinct days; the bound keeps memory flat.
const dayCache = new WeakMap<RuleBook, Map<string, Map<string, DayContext | null>>>();
const DAY_CACHE_LIMIT = 2_000;
const CRITERIA_CACHE_LIMIT = 4_096;
const EMPTY: string[] = markImmutable<string[]>([]);

// The last lookup: a batch asks for the same book, scope and day over and over, and this check costs
// no scope-key string or map lookups.
let last: { book: RuleBook; region: Region; level: Level; asOf: string; ctx: DayContext | null } | null =
  null;

function dayContext(book: RuleBook, region: Region, level: Level, asOf: string): DayContext | null {
  if (last && last.book === book && last.region === region && last.level === level && last.asOf === asOf)
    return last.ctx;
  const ctx = lookupDayContext(book, region, level, asOf);
  last = { book, region, level, asOf, ctx };
  return ctx;
}

function lookupDayContext(book: RuleBook, region: Region, level: Level, asOf: string): DayContext | null {
  let byScope = dayCache.get(book);
  if (!byScope) dayCache.set(book, (byScope = new Map<string, Map<string, DayContext | null>>()));
  const scope = scopeKey(region, level);
  let byDay = byScope.get(scope);
  if (!byDay) byScope.set(scope, (byDay = new Map<string, DayContext | null>()));
  const hit = byDay.get(asOf);
  if (hit !== undefined) return hit;
  const picked = pickRuleSet(book, region, level, asOf);
  let ctx: DayContext | null = null;
  if (picked) {
    const countTo = picked.rs.cutoff?.date ?? asOf;
    ctx = {
      picked,
      countTo,
      countToIndex: monthIndex(countTo),
      deadlines: markImmutable(deadlinesFor(book, region, level, asOf)),
      rounds: markImmutable(roundsFor(book, region, level, asOf)),
      criteria: new Map(),
    };
  }
  if (byDay.size >= DAY_CACHE_LIMIT) byDay.clear();
  byDay.set(asOf, ctx);
  return ctx;
}

const deadlineCache = new WeakMap<RuleBook, Map<string, Deadline[]>>();

/** Deadlines of the rounds covering a region and level, on or after asOf, soonest first (contract shape). */
export function deadlinesFor(book: RuleBook, region: Region, level: Level, asOf: string): Deadline[] {
  let byScope = deadlineCache.get(book);
  if (!byScope) deadlineCache.set(book, (byScope = new Map<string, Deadline[]>()));
  const key = scopeKey(region, level);
  let all = byScope.get(key);
  if (!all) {
    all = listDeadlines(book.deadlines, { region, level }).map(({ region: _r, levels: _l, ...d }) => d);
    byScope.set(key, all);
  }
  return all.filter((d) => d.date >= asOf);
}

/** The rounds covering a region and level judged on asOf (contract shape; none for a standing measure). */
export function roundsFor(book: RuleBook, region: Region, level: Level, asOf: string): Round[] {
  return roundsCovering(book.deadlines.rounds ?? [], { region, level }, asOf);
}

export interface AssessOptions {
  /** Also return the step-by-step trace (tests print it on failure); off by default, it costs allocation. */
  trace?: boolean;
}

/**
 * Assesses a validated profile at `asOf` (YYYY-MM-DD). Pure: same inputs, same report (and trace when
 * asked). The report shares frozen parts (criteria entries, citations, assumptions, deadlines) with other
 * reports: treat it as read-only.
 */
export function assess(
  book: RuleBook,
  profile: Profile,
  asOf: string,
  options: AssessOptions & { trace: true },
): { report: EligibilityReport; trace: TraceStep[] };
export function assess(
  book: RuleBook,
  profile: Profile,
  asOf: string,
  options?: AssessOptions,
): { report: EligibilityReport; trace?: TraceStep[] };
export function assess(
  book: RuleBook,
  profile: Profile,
  asOf: string,
  options?: AssessOptions,
): { report: EligibilityReport; trace?: TraceStep[] } {
  const ctx = dayContext(book, profile.region, profile.targetLevel, asOf);
  if (!ctx) throw new Error(`no rules for ${profile.region}/${profile.targetLevel}`);
  const { rs } = ctx.picked;
  const facts = new FactView(profile, ctx.countToIndex);

  const n = rs.criteria.length;
  const criteria = new Array<CriterionStatus>(n);
  let code = 0;
  for (let i = 0; i < n; i++) {
    const s = (rs.criteria[i] as CompiledCriterion).check(facts);
    criteria[i] = s;
    code = code * 3 + (s === "met" ? 0 : s === "unmet" ? 1 : 2);
  }
  // All-of over the gate, then any-of over the paths (each all-of its criteria), as plain loops: this
  // runs once per assessment and `allOf`/`anyOf` would cost an iterator and an array each time.
  const gate = allOfIndices(rs.gate, criteria);
  const paths = new Array<CriterionStatus>(rs.paths.length);
  let anyPath: CriterionStatus = "unmet";
  for (let k = 0; k < paths.length; k++) {
    const s = allOfIndices((rs.paths[k] as CompiledPath).criteria, criteria);
    paths[k] = s;
    if (s === "met") anyPath = "met";
    else if (s === "unknown" && anyPath === "unmet") anyPath = "unknown";
  }
  const verdict: Verdict =
    gate === "unmet" || anyPath === "unmet"
      ? "ineligible"
      : gate === "met" && anyPath === "met"
        ? "eligible"
        : "undetermined";

  const ev: Evaluation = { criteria, gate, paths };
  const earliest = verdict === "eligible" ? null : earliestEligible(rs, ev, facts);

  const results = criteriaResults(rs, ctx, criteria, code);
  const missing = verdict === "undetermined" ? missingFacts(rs, ev, facts) : EMPTY;
  const notHeld = verdict === "undetermined" ? sourcesNotHeld(rs, ev) : EMPTY;
  // Frozen at load and shared (the contract type is mutable; mutating it throws).
  const assumptions = rs.assumptions as Assumption[];
  const earliestMonth = earliest?.month ?? null;
  // Two literals rather than a spread of `{ id }`: same keys in the same order (`id` first, only when
  // set), without a temporary object and a generic copy per report.
  const report: EligibilityReport =
    profile.id !== undefined
      ? {
          id: profile.id,
          verdict,
          criteria: results,
          missing,
          sourcesNotHeld: notHeld,
          assumptions,
          earliestEligible: earliestMonth,
          deadlines: ctx.deadlines,
          rounds: ctx.rounds,
        }
      : {
          verdict,
          criteria: results,
          missing,
          sourcesNotHeld: notHeld,
          assumptions,
          earliestEligible: earliestMonth,
          deadlines: ctx.deadlines,
          rounds: ctx.rounds,
        };
  if (!options?.trace) return { report };
  return { report, trace: buildTrace(ctx, facts, ev, verdict, earliest) };
}

/** All-of the statuses at `indices` in three values (a missing index counts as unknown). */
function allOfIndices(indices: readonly number[], statuses: readonly CriterionStatus[]): CriterionStatus {
  let result: CriterionStatus = "met";
  for (const i of indices) {
    const s = statuses[i] ?? "unknown";
    if (s === "unmet") return "unmet";
    if (s === "unknown") result = "unknown";
  }
  return result;
}

/** The report's criteria for a status vector: one frozen array per distinct vector, shared. */
function criteriaResults(
  rs: RuleSet,
  ctx: DayContext,
  statuses: readonly CriterionStatus[],
  code: number,
): CriterionResult[] {
  // Past 3^33 the base-3 code is no longer exact in a double; such rule sets simply skip the cache.
  const cacheable = statuses.length <= 33;
  const hit = cacheable ? ctx.criteria.get(code) : undefined;
  if (hit) return hit;
  const list = markImmutable(rs.criteria.map((c, i) => c.results[statuses[i] ?? "unknown"]));
  if (cacheable && ctx.criteria.size < CRITERIA_CACHE_LIMIT) ctx.criteria.set(code, list);
  return list;
}

/** The trace of an assessment already made (same statuses, re-derived per test for display). */
function buildTrace(
  ctx: DayContext,
  facts: FactView,
  ev: Evaluation,
  verdict: Verdict,
  earliest: { month: string; path: string } | null,
): TraceStep[] {
  const { rs, inForce } = ctx.picked;
  const trace: TraceStep[] = [{ step: "ruleSet", id: rs.id, file: rs.file, countTo: ctx.countTo, inForce }];
  for (const c of rs.criteria) {
    const r = evaluateCriterion(c, facts);
    trace.push({
      step: "criterion",
      id: c.id,
      status: r.status,
      tests: c.tests.map((t, j) => traceTest(t, r.tests[j] ?? "unknown", facts)),
      ...(c.notHeld ? { notHeld: c.notHeld } : {}),
    });
  }
  trace.push({ step: "gate", status: ev.gate });
  rs.paths.forEach((p, i) => trace.push({ step: "path", id: p.id, status: ev.paths[i] ?? "unknown" }));
  trace.push({ step: "verdict", verdict });
  trace.push({
    step: "earliestEligible",
    month: earliest?.month ?? null,
    ...(earliest ? { path: earliest.path } : {}),
  });
  return trace;
}

/**
 * Validates a raw profile then assesses it (asOf = profile.asOf, else `today`). A bad profile yields a
 * per-line error naming the field, carrying the input's id (contract: batch lines).
 */
export function assessProfile(book: RuleBook, raw: unknown, today: string): EligibilityReport | LineError {
  const v = validateProfile(raw, today);
  if (!v.ok) return { ...(v.id !== undefined ? { id: v.id } : {}), error: v.error };
  return assess(book, v.profile, v.asOf).report;
}
