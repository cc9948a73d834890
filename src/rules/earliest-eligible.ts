// The first month at which waiting alone makes some path met (other facts unchanged), or null.
import type { FactView } from "./evaluate.ts";
import type { Evaluation } from "./missing-facts.ts";
import { formatMonth, monthIndex } from "./months.ts";
import type { RuleSet } from "./rule-book.ts";

/**
 * Only durations counted to asOf grow with time; with a round cut-off nothing changes by waiting.
 * A criterion can wait only if each of its unmet tests is a duration whose start month is known exactly.
 */
export function earliestEligible(
  rs: RuleSet,
  ev: Evaluation,
  facts: FactView,
): { month: string; path: string } | null {
  if (rs.cutoff) return null;
  const monthFor = (index: number): number | null => {
    if (ev.criteria[index] === "met") return facts.countTo;
    const c = rs.criteria[index];
    if (!c || c.opaque) return null;
    let needed = facts.countTo;
    for (let j = 0; j < c.tests.length; j++) {
      if (c.testFns[j]?.(facts) === "met") continue;
      const t = c.tests[j];
      if (t?.op !== "gte" || (t.fact !== "workMonths" && t.fact !== "titleMonths")) return null;
      const start = facts.numberFact(t.fact).start;
      if (start === undefined) return null;
      needed = Math.max(needed, start + t.value);
    }
    return needed;
  };
  const gateMonths = rs.gate.map(monthFor);
  if (gateMonths.some((m) => m === null)) return null;
  let best: { month: number; path: string } | null = null;
  for (const p of rs.paths) {
    let needed = Math.max(facts.countTo, ...(gateMonths as number[]));
    for (const i of p.criteria) {
      const m = monthFor(i);
      if (m === null) {
        needed = Infinity;
        break;
      }
      needed = Math.max(needed, m);
    }
    if (rs.validTo && needed > monthIndex(rs.validTo)) continue;
    if (Number.isFinite(needed) && (best === null || needed < best.month))
      best = { month: needed, path: p.id };
  }
  return best && best.month > facts.countTo ? { month: formatMonth(best.month), path: best.path } : null;
}
