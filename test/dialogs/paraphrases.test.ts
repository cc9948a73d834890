// The paraphrase corpus (test/dialogs/paraphrases.jsonl): messages as people type them, each labelled with the
// facts it holds. The dialog's reading must keep fact-level precision and recall above these floors (the bench
// prints the figures: `npm run bench -- nlu`; its goals are 0.98 and 0.95).
import { describe, expect, it } from "vitest";
import { loadParaphrases, scoreParaphrases } from "./support/nlu-score.ts";

const PRECISION_FLOOR = 0.97;
const RECALL_FLOOR = 0.94;

describe("paraphrase corpus", () => {
  const corpus = loadParaphrases();

  it("holds at least 400 labelled messages, statements and questions, with and without a pending question", () => {
    expect(corpus.length).toBeGreaterThanOrEqual(400);
    expect(corpus.filter((p) => p.pending).length).toBeGreaterThan(100);
    expect(corpus.filter((p) => Object.keys(p.facts).length === 0).length).toBeGreaterThan(30);
  });

  it(`is read with fact-level precision ≥ ${PRECISION_FLOOR} and recall ≥ ${RECALL_FLOOR}`, () => {
    const score = scoreParaphrases(corpus);
    const detail = score.errors.map((e) => JSON.stringify(e)).join("\n");
    expect(score.precision, detail).toBeGreaterThanOrEqual(PRECISION_FLOOR);
    expect(score.recall, detail).toBeGreaterThanOrEqual(RECALL_FLOOR);
  });
});
