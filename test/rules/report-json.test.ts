// The batch serialiser and the compiled closures must agree exactly with the reference forms.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { assess } from "../../src/rules/assess.ts";
import { FactView, evaluateTest } from "../../src/rules/evaluate.ts";
import { reportToJsonLine } from "../../src/rules/report-json.ts";
import { mixedProfileArb, isoDay } from "./arbitraries.ts";
import { ruleBook } from "./load-fixtures.ts";

const SEED = { seed: 20_240_601, numRuns: 300 };

describe("report serialisation from cached fragments", () => {
  it("is byte-identical to JSON.stringify(report) over random profiles and days", () => {
    fc.assert(
      fc.property(mixedProfileArb, isoDay, (p, asOf) => {
        const { report } = assess(ruleBook(), p, asOf);
        // Twice: the second call reads the fragments cached by the first.
        expect(reportToJsonLine(report)).toBe(JSON.stringify(report));
        expect(reportToJsonLine(report)).toBe(JSON.stringify(report));
        const copy = structuredClone(report);
        expect(reportToJsonLine(copy)).toBe(JSON.stringify(copy));
      }),
      SEED,
    );
  });

  it("falls back to JSON.stringify for a report of another shape", () => {
    const { report } = assess(ruleBook(), { region: "beijing", targetLevel: "senior" }, "2024-12-31");
    const { verdict, ...rest } = report;
    const reordered = { ...rest, verdict };
    expect(reportToJsonLine(reordered)).toBe(JSON.stringify(reordered));
  });

  it("gives the same report with and without the trace", () => {
    fc.assert(
      fc.property(mixedProfileArb, isoDay, (p, asOf) => {
        expect(assess(ruleBook(), p, asOf, { trace: true }).report).toEqual(
          assess(ruleBook(), p, asOf).report,
        );
      }),
      SEED,
    );
  });
});

describe("compiled closures", () => {
  it("agree with the interpreter on every test of every rule set", () => {
    fc.assert(
      fc.property(mixedProfileArb, isoDay, (p, asOf) => {
        const facts = new FactView(p, asOf);
        for (const rs of ruleBook().ruleSets)
          for (const c of rs.criteria) {
            c.tests.forEach((t, j) => expect(c.testFns[j]?.(facts)).toBe(evaluateTest(t, facts)));
            const all = c.tests.map((t) => evaluateTest(t, facts));
            const expected = c.opaque
              ? "unknown"
              : all.includes("unmet")
                ? "unmet"
                : all.includes("unknown")
                  ? "unknown"
                  : "met";
            expect(c.check(facts)).toBe(expected);
          }
      }),
      SEED,
    );
  });
});
