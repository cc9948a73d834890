// Scripted applicants answer whatever is asked from their own facts, in varied wording, and must reach
// the verdict the engine gives on their whole profile (facts they do not know left out). Turns are counted.
import { afterAll, describe, expect, it } from "vitest";
import { answer, seededRandom } from "./support/applicant.ts";
import { APPLICANTS, VERDICT_TEXT, expectedVerdict } from "./support/applicants.ts";
import { realDeps } from "./support/real-deps.ts";
import { testChat } from "./support/test-chat.ts";

const deps = realDeps();
const ASOF = "2024-08-15";

const counts: string[] = [];
afterAll(() => console.log(`turns to a verdict:\n${counts.join("\n")}`));

describe("simulated applicants", () => {
  it.each(APPLICANTS.flatMap((a) => [1, 2, 3].map((seed) => [a.name, seed, a] as const)))(
    "%s (wording seed %d) reaches the engine's verdict",
    async (_name, seed, a) => {
      const rnd = seededRandom(seed);
      const chat = testChat(deps);
      await chat.says(a.opening);
      while (!/结论：/.test(chat.last())) {
        if (chat.turns() >= 20)
          throw new Error(`no verdict after 20 turns:\n${chat.transcript().join("\n")}`);
        await chat.says(answer(a, chat.last().split("\n").at(-1) ?? "", rnd));
      }
      const expected = expectedVerdict((p, asOf) => deps.assess(p, asOf), a, ASOF);
      expect(chat.last(), chat.transcript().join("\n")).toContain(VERDICT_TEXT[expected]);
      // What the dialog recorded agrees with the applicant's facts.
      for (const [k, v] of Object.entries(chat.state()?.profile ?? {})) {
        expect(v, `${k}\n${chat.transcript().join("\n")}`).toEqual((a.facts as Record<string, unknown>)[k]);
      }
      counts.push(`${a.name} seed ${seed}: ${chat.turns()} turns (${expected})`);
      expect(chat.turns()).toBeLessThanOrEqual(12);
    },
  );
});
