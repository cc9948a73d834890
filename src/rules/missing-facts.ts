// The unknown profile fields that could still change an undetermined verdict, most decisive first.
import type { ProfileField } from "../shared/profile.ts";
import type { CriterionStatus } from "../shared/report.ts";
import { FIELD_ORDER } from "./facts.ts";
import type { FactView } from "./evaluate.ts";
import type { RuleSet } from "./rule-book.ts";

// Rank of each field in FIELD_ORDER, computed once (not an indexOf per comparison).
const FIELD_RANK = new Map<ProfileField, number>(FIELD_ORDER.map((f, i) => [f, i]));
const rank = (f: ProfileField) => FIELD_RANK.get(f) ?? -1;

/** Test statuses are not kept: the few callers that need one re-run the test's closure (cheap, no allocation). */
export interface Evaluation {
  criteria: readonly CriterionStatus[];
  gate: CriterionStatus;
  paths: readonly CriterionStatus[];
}

/**
 * Fields are decisive when an answer could settle the verdict: those of unknown gate criteria first (one
 * answer can rule out every path), then those read by unknown criteria of the most live paths. A path
 * that also needs a document we do not hold can never be met, so its fields only count when every live
 * path could still fail on a known fact (then they could make the verdict ineligible).
 */
export function missingFacts(rs: RuleSet, ev: Evaluation, facts: FactView): ProfileField[] {
  const score = new Map<ProfileField, number>();
  // Each field counts once per unit (the gate, or one path), however many of its tests read it.
  const addUnit = (indices: readonly number[], weight: number) => {
    const fields = new Set<ProfileField>();
    for (const index of indices) {
      const c = rs.criteria[index];
      if (!c || c.opaque || ev.criteria[index] !== "unknown") continue;
      c.tests.forEach((t, j) => {
        if (c.testFns[j]?.(facts) === "unknown") for (const f of facts.unknownFields(t.fact)) fields.add(f);
      });
    }
    for (const f of fields) score.set(f, (score.get(f) ?? 0) + weight);
  };
  addUnit(rs.gate, 1000);

  const live = rs.paths.filter((_, i) => ev.paths[i] === "unknown");
  const canAllFail = live.every((p) =>
    p.criteria.some((i) => ev.criteria[i] === "unknown" && rs.criteria[i]?.opaque === false),
  );
  for (const p of live) if (!p.opaque || canAllFail) addUnit(p.criteria, 1);
  return [...score.entries()].sort((a, b) => b[1] - a[1] || rank(a[0]) - rank(b[0])).map(([f]) => f);
}

/** Documents we do not hold that stand between this profile and a verdict. */
export function sourcesNotHeld(rs: RuleSet, ev: Evaluation): string[] {
  if (ev.gate === "unmet") return [];
  const docs = new Set<string>();
  rs.paths.forEach((p, i) => {
    if (ev.paths[i] !== "unknown") return;
    for (const c of p.criteria) {
      const notHeld = rs.criteria[c]?.notHeld;
      if (notHeld) docs.add(notHeld);
    }
  });
  return [...docs];
}
