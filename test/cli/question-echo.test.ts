// `ask` echoes the question exactly as the user wrote it, through the CLI (one question and a batch) and
// through the services GET /api/ask calls (checkQuestion, then ask on the checked question).
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { createServices } from "../../src/main.ts";
import { fixedClock } from "../../src/shared/clock.ts";
import { typedQuestion } from "../retrieval/question-arbitraries.ts";
import { cli } from "../support/capture-io.ts";

/** A fixed sample of accepted questions (same seed, same sample, every run). */
const questions = fc.sample(typedQuestion, { seed: 20241023, numRuns: 150 });

describe("the question ask echoes", () => {
  it('is the argument as written: 么 stays 么 (`ask "北京能破格么" --json`)', async () => {
    const r = await cli(["ask", "北京能破格么", "--json"]);
    expect(r.code).toBe(0);
    expect(r.lines[0]).toMatchObject({ question: "北京能破格么", grounded: true });
    // Traditional input is echoed traditional too: normalising is for matching only.
    expect((await cli(["ask", "北京能破格麼？", "--json"])).lines[0]?.question).toBe("北京能破格麼？");
  });

  it("is each batch line's q as written, for any accepted question", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "zc-echo-")), "q.jsonl");
    writeFileSync(file, questions.map((q, i) => JSON.stringify({ id: i, q })).join("\n") + "\n");
    const r = await cli(["ask", "--batch", file, "--json"]);
    expect(r.code).toBe(0);
    expect(r.lines.map((l) => l.id)).toEqual(questions.map((_, i) => i));
    expect(r.lines.map((l) => l.question)).toEqual(questions);
  });

  describe("through the services GET /api/ask calls", () => {
    let services: Awaited<ReturnType<typeof createServices>>;
    beforeAll(async () => {
      services = await createServices(loadConfig({}), fixedClock("2024-09-01T04:00:00Z"), ["retrieval"]);
    });

    it("is the q parameter as written, for any accepted question", async () => {
      for (const q of ["北京能破格么", ...questions]) {
        const checked = services.checkQuestion(q);
        if (!checked.ok) throw new Error(`refused ${JSON.stringify(q)}: ${checked.code}`);
        expect((await services.ask(checked.question)).question).toBe(q);
      }
    });
  });
});
