// Every simulated applicant (31) in three styles — terse, chatty full sentences, facts out of order and unprompted —
// reaches the engine's verdict for what they can tell, with every recorded fact right. `npm run bench -- nlu`
// reports the turns this takes (goal: a mean of at most 6).
import { describe, expect, it } from "vitest";
import { SIMULATED, STYLES, simulate } from "./support/simulate.ts";

describe("simulated applicants in three styles", () => {
  it("are at least 30", () => expect(SIMULATED.length).toBeGreaterThanOrEqual(30));

  it.each(SIMULATED.flatMap((a) => STYLES.map((style) => [a.name, style, a] as const)))(
    "%s (%s) reaches the engine's verdict",
    async (_name, style, a) => {
      const run = await simulate(a, style);
      const transcript = run.transcript.join("\n");
      expect(run.rightVerdict, `expected ${run.expected}\n${transcript}`).toBe(true);
      expect(run.wrongFacts, transcript).toEqual([]);
      expect(run.turns, transcript).toBeLessThanOrEqual(12);
    },
  );
});
