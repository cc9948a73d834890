// The first month at which waiting alone makes some path met (other facts unchanged), or null.
import type { FactView } from "./evaluate.ts";
import type { Evaluation } from "./missing-facts.ts";
import { formatMonth, monthIndex } from "./months.ts";
import type { RuleSet } from "./rule-book.ts";
import { TITLE_GRADE } from "./facts.ts";

/**
 * Only durations counted to asOf grow with time; with a round cut-off nothing changes by waiting.
 * A criterion can wait only if each of its unmet tests is a duration whose start month is known exactly.
 * Runs for most non-eligible reports, so it allocates nothing until it has an answer (no closures or
 * arrays per call), and a gate criterion that cannot wait ends it before any path is looked at.
 */
export function earliestEligible(
  rs: RuleSet,
  ev: Evaluation,
  facts: FactView,
): { month: string; path: string } | null {
  if (rs.cutoff) return null;
  let gateNeeded = facts.countTo;
  for (const i of rs.gate) {
    const m = monthFor(rs, ev, facts, i);
    if (m === null) return null;
    gateNeeded = Math.max(gateNeeded, m);
  }
  const validTo = rs.validTo ? monthIndex(rs.validTo) : Infinity;
  let bestMonth = Infinity;
  let bestPath: string | null = null;
  for (const p of rs.paths) {
    let needed = gateNeeded;
    for (const i of p.criteria) {
      const m = monthFor(rs, ev, facts, i);
      if (m === null) {
        needed = Infinity;
        break;
      }
      needed = Math.max(needed, m);
    }
    if (needed > validTo) continue;
    // Strictly earlier only: on a tie the first path in file order is kept.
    if (Number.isFinite(needed) && (bestPath === null || needed < bestMonth)) {
      bestMonth = needed;
      bestPath = p.id;
    }
  }
  return bestPath !== null && bestMonth > facts.countTo
    ? { month: formatMonth(bestMonth), path: bestPath }
    : null;
}

/** The month criterion `index` is met by waiting (countTo when already met), or null when waiting cannot help. */
function monthFor(rs: RuleSet, ev: Evaluation, facts: FactView, index: number): number | null {
  if (ev.criteria[index] === "met") return facts.countTo;
  const c = rs.criteria[index];
  if (!c || c.opaque) return null;
  let needed = facts.countTo;
  for (let j = 0; j < c.tests.length; j++) {
    if (c.testFns[j]?.(facts) === "met") continue;
    const t = c.tests[j];
    // A title of the required grade or higher is met once it has itself been held long enough (a
    // higher one may be met sooner, but that is unknown); a lower grade or an unknown series is not
    // something waiting settles.
    if (t?.op === "held") {
      const title = facts.profile.currentTitle;
      const start = facts.startMonth("titleMonths");
      if (start === undefined || title === undefined || title.level === "none") return null;
      if (TITLE_GRADE[title.level] < TITLE_GRADE[t.value.level]) return null;
      if (t.value.series !== undefined && title.series !== t.value.series) return null;
      needed = Math.max(needed, start + t.value.months);
      continue;
    }
    if (t?.op !== "gte" || (t.fact !== "workMonths" && t.fact !== "titleMonths")) return null;
    const start = facts.startMonth(t.fact);
    if (start === undefined) return null;
    needed = Math.max(needed, start + t.value);
  }
  return needed;
}
