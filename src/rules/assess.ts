// The eligibility engine: (rules, profile, asOf) → report + trace. Pure and synchronous.
import type { Level, Region } from "../shared/domain.ts";
import type { Profile } from "../shared/profile.ts";
import type { CriterionStatus, Deadline, EligibilityReport, LineError, Verdict } from "../shared/report.ts";
import { listDeadlines } from "./deadlines.ts";
import { earliestEligible } from "./earliest-eligible.ts";
import { FactView, allOf, anyOf, evaluateCriterion, traceTest } from "./evaluate.ts";
import { missingFacts, sourcesNotHeld, type Evaluation } from "./missing-facts.ts";
import { scopeKey, type RuleBook, type RuleSet } from "./rule-book.ts";
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

/** Assesses a validated profile at `asOf` (YYYY-MM-DD). Pure: same inputs, same report and trace. */
export function assess(
  book: RuleBook,
  profile: Profile,
  asOf: string,
): { report: EligibilityReport; trace: TraceStep[] } {
  const picked = pickRuleSet(book, profile.region, profile.targetLevel, asOf);
  if (!picked) throw new Error(`no rules for ${profile.region}/${profile.targetLevel}`);
  const { rs } = picked;
  const countTo = rs.cutoff?.date ?? asOf;
  const facts = new FactView(profile, countTo);
  const trace: TraceStep[] = [
    { step: "ruleSet", id: rs.id, file: rs.file, countTo, inForce: picked.inForce },
  ];

  const criteria: CriterionStatus[] = [];
  const tests: CriterionStatus[][] = [];
  for (const c of rs.criteria) {
    const r = evaluateCriterion(c, facts);
    criteria.push(r.status);
    tests.push(r.tests);
    trace.push({
      step: "criterion",
      id: c.id,
      status: r.status,
      tests: c.tests.map((t, j) => traceTest(t, r.tests[j] ?? "unknown", facts)),
      ...(c.notHeld ? { notHeld: c.notHeld } : {}),
    });
  }
  const gate = allOf(rs.gate.map((i) => criteria[i] ?? "unknown"));
  trace.push({ step: "gate", status: gate });
  const paths = rs.paths.map((p) => {
    const status = allOf(p.criteria.map((i) => criteria[i] ?? "unknown"));
    trace.push({ step: "path", id: p.id, status });
    return status;
  });
  const overall = allOf([gate, anyOf(paths)]);
  const verdict: Verdict =
    overall === "met" ? "eligible" : overall === "unmet" ? "ineligible" : "undetermined";
  trace.push({ step: "verdict", verdict });

  const ev: Evaluation = { criteria, tests, gate, paths };
  const earliest = verdict === "eligible" ? null : earliestEligible(rs, ev, facts);
  trace.push({
    step: "earliestEligible",
    month: earliest?.month ?? null,
    ...(earliest ? { path: earliest.path } : {}),
  });

  const report: EligibilityReport = {
    ...(profile.id !== undefined ? { id: profile.id } : {}),
    verdict,
    criteria: rs.criteria.map((c, i) => ({
      id: c.id,
      description: c.description,
      status: criteria[i] ?? "unknown",
      citation: c.citation,
    })),
    missing: verdict === "undetermined" ? missingFacts(rs, ev, facts) : [],
    sourcesNotHeld: verdict === "undetermined" ? sourcesNotHeld(rs, ev) : [],
    assumptions: [...rs.assumptions],
    earliestEligible: earliest?.month ?? null,
    deadlines: deadlinesFor(book, profile.region, profile.targetLevel, asOf),
  };
  return { report, trace };
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
