// Properties of the engine over generated profiles: determinism, monotonicity, and honest unknowns.
import fc from "fast-check";
import { addMonths, differenceInCalendarMonths, format } from "date-fns";
import { describe, expect, it } from "vitest";
import { assess } from "../../src/rules/assess.ts";
import { formatMonth, monthIndex, monthsBetween } from "../../src/rules/months.ts";
import type { Profile } from "../../src/shared/profile.ts";
import { OPTIONAL_FIELDS, awardArb, isoDay, mixedProfileArb, yearMonth } from "./arbitraries.ts";
import { ruleBook } from "./load-fixtures.ts";

const SEED = { seed: 20241231, numRuns: 2000 };
const verdict = (p: Profile, asOf: string) => assess(ruleBook(), p, asOf).report.verdict;
const nextYear = (asOf: string) => `${Number(asOf.slice(0, 4)) + 1}${asOf.slice(4)}`;

describe("engine properties", () => {
  it("is deterministic: the same profile and asOf give the same report and trace", () => {
    fc.assert(
      fc.property(mixedProfileArb, isoDay, (p, asOf) => {
        expect(assess(ruleBook(), structuredClone(p), asOf)).toEqual(assess(ruleBook(), p, asOf));
      }),
      SEED,
    );
  });

  it("is monotone: one more year, result or award never turns eligible into ineligible", () => {
    fc.assert(
      fc.property(mixedProfileArb, isoDay, awardArb, (p, asOf, award) => {
        if (verdict(p, asOf) !== "eligible") return;
        expect(verdict(p, nextYear(asOf))).toBe("eligible");
        expect(verdict({ ...p, achievements: (p.achievements ?? 0) + 1 }, asOf)).not.toBe("ineligible");
        if (p.achievements !== undefined)
          expect(verdict({ ...p, achievements: p.achievements + 1 }, asOf)).toBe("eligible");
        if (p.awards !== undefined)
          expect(verdict({ ...p, awards: [...p.awards, award] }, asOf)).toBe("eligible");
      }),
      SEED,
    );
  });

  it("never says ineligible because of an unknown: removing a fact from an eligible or undetermined profile never gives ineligible", () => {
    fc.assert(
      fc.property(mixedProfileArb, isoDay, fc.constantFrom(...OPTIONAL_FIELDS), (p, asOf, field) => {
        const known = assess(ruleBook(), p, asOf);
        const { [field]: _dropped, ...rest } = p;
        const partial = assess(ruleBook(), rest, asOf, { trace: true });
        if (partial.report.verdict !== "ineligible") return;
        // Ineligible with the fact unknown: a known fact must already fail the gate or every path.
        expect(known.report.verdict).toBe("ineligible");
        const steps = partial.trace;
        const gateFailed = steps.some((s) => s.step === "gate" && s.status === "unmet");
        const pathsFailed = steps.filter((s) => s.step === "path").every((s) => s.status === "unmet");
        expect(gateFailed || pathsFailed).toBe(true);
      }),
      SEED,
    );
  });

  it("gives earliestEligible only when it is not eligible, and is eligible from that month on", () => {
    fc.assert(
      fc.property(mixedProfileArb, isoDay, (p, asOf) => {
        const { report } = assess(ruleBook(), p, asOf);
        if (report.verdict === "eligible") expect(report.earliestEligible).toBeNull();
        if (report.earliestEligible === null) return;
        expect(report.earliestEligible > asOf.slice(0, 7)).toBe(true);
        expect(verdict(p, `${report.earliestEligible}-01`)).toBe("eligible");
        const before = formatMonth(monthIndex(report.earliestEligible) - 1);
        expect(verdict(p, `${before}-28`)).not.toBe("eligible");
      }),
      SEED,
    );
  });

  it("counts whole calendar months exactly as date-fns does", () => {
    fc.assert(
      fc.property(
        yearMonth(1950, 2060),
        yearMonth(1950, 2060),
        fc.integer({ min: -600, max: 600 }),
        (a, b, n) => {
          const da = new Date(`${a}-01T00:00:00`);
          const db = new Date(`${b}-01T00:00:00`);
          expect(monthsBetween(a, b)).toBe(differenceInCalendarMonths(db, da));
          expect(formatMonth(monthIndex(a) + n)).toBe(format(addMonths(da, n), "yyyy-MM"));
        },
      ),
      { seed: 7, numRuns: 2000 },
    );
  });
});

describe("generators", () => {
  it("produce every verdict and waiting cases often enough for the properties above to bite", () => {
    const counts = { eligible: 0, ineligible: 0, undetermined: 0, waiting: 0 };
    for (const [p, asOf] of fc.sample(fc.tuple(mixedProfileArb, isoDay), {
      seed: SEED.seed,
      numRuns: SEED.numRuns,
    })) {
      const { report } = assess(ruleBook(), p, asOf);
      counts[report.verdict]++;
      if (report.earliestEligible) counts.waiting++;
    }
    expect(Math.min(counts.eligible, counts.ineligible, counts.undetermined)).toBeGreaterThan(100);
    expect(counts.waiting).toBeGreaterThan(50);
  });
});
