// Understanding of what people type: fact-level precision and recall on the paraphrase corpus, and the turns
// simulated applicants in three styles need to reach the engine's verdict.
import { scoreParaphrases } from "../test/dialogs/support/nlu-score.ts";
import { simulateAll } from "../test/dialogs/support/simulate.ts";

const GOALS = { precision: 0.98, recall: 0.95, meanTurnsToVerdict: 6 };

export async function benchNlu(): Promise<Record<string, unknown>> {
  const score = scoreParaphrases();
  const runs = await simulateAll();
  const turns = runs.map((r) => r.turns);
  const byStyle = Object.fromEntries(
    [...new Set(runs.map((r) => r.style))].map((style) => {
      const t = runs.filter((r) => r.style === style).map((r) => r.turns);
      return [style, { mean: round(mean(t)), max: Math.max(...t) }];
    }),
  );
  return {
    paraphrases: {
      messages: score.messages,
      labelledFacts: score.labelledFacts,
      readFacts: score.readFacts,
      precision: round(score.precision, 3),
      recall: round(score.recall, 3),
      goal: { precision: GOALS.precision, recall: GOALS.recall },
      met: score.precision >= GOALS.precision && score.recall >= GOALS.recall,
      misread: score.errors.slice(0, 10),
    },
    simulatedApplicants: {
      applicants: new Set(runs.map((r) => r.applicant)).size,
      conversations: runs.length,
      rightVerdict: runs.filter((r) => r.rightVerdict).length,
      turnsToVerdict: { mean: round(mean(turns)), max: Math.max(...turns), byStyle },
      goal: { meanTurnsToVerdict: GOALS.meanTurnsToVerdict },
      met: mean(turns) <= GOALS.meanTurnsToVerdict && runs.every((r) => r.rightVerdict),
      wrong: runs.filter((r) => !r.rightVerdict).map((r) => `${r.applicant} (${r.style})`),
    },
  };
}

const mean = (xs: number[]) => (xs.length === 0 ? 0 : xs.reduce((a, b) => a + b, 0) / xs.length);
const round = (x: number, digits = 2) => Math.round(x * 10 ** digits) / 10 ** digits;
