// Bad questions get a clear Chinese message; the normaliser and answerQuestion hold for any string.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { answerQuestion } from "../../src/retrieval/answer-question.ts";
import { MAX_QUESTION_CHARS, normalizeQuery } from "../../src/retrieval/normalize-query.ts";
import { checkQuestion } from "../../src/retrieval/question-input.ts";
import { typedQuestion } from "./question-arbitraries.ts";
import { kb, retriever } from "./fixture.ts";

describe("checkQuestion", () => {
  const bad: Array<[string, unknown, string]> = [
    ["empty", "", "empty_question"],
    ["whitespace only", " \t\n　 ", "empty_question"],
    ["zero-width and control only", "\u200b\u200d\ufeff\u0007", "empty_question"],
    ["emoji only", "😀🎉👍", "no_words"],
    ["punctuation only", "？？！。，……", "no_words"],
    ["Latin only", "hello how to apply", "not_chinese"],
    ["not a string", 42, "invalid_question"],
    ["100 KB", "职".repeat(100_000), "question_too_long"],
  ];
  for (const [name, input, code] of bad) {
    it(`refuses ${name} with a Chinese message`, () => {
      const r = checkQuestion(input);
      expect(r.ok).toBe(false);
      if (!r.ok) {
        expect(r.code).toBe(code);
        expect(r.message).toMatch(/[\u4e00-\u9fff]/u);
      }
    });
  }

  it("accepts a question with zero-width characters inside, matching on it without them", () => {
    const raw = "巴中\u200b职称\u0000网上申报什么时候截止";
    expect(checkQuestion(raw)).toEqual({
      ok: true,
      question: raw,
      normalized: "巴中职称网上申报什么时候截止",
    });
  });

  it("answers bad input with grounded:false and the message, without citations", async () => {
    const r = await answerQuestion("😀😀", { kb, retriever });
    expect(r.grounded).toBe(false);
    expect(r.citations).toEqual([]);
    expect(r.answer).toMatch(/中文/u);
  });
});

describe("normalizeQuery", () => {
  it("folds full-width forms and traditional characters", () => {
    expect(normalizeQuery("巴中職稱網上申報截止到幾號？ＡＩ　２０２４")).toBe(
      "巴中职称网上申报截止到几号?AI 2024",
    );
  });

  it("keeps 么 (OpenCC's Taiwan table would read it as 幺) and makes 麼 into it", () => {
    expect(normalizeQuery("北京能破格么")).toBe("北京能破格么");
    expect(normalizeQuery("北京能破格麼")).toBe("北京能破格么");
    expect(normalizeQuery("什麼時候截止，要么")).toBe("什么时候截止,要么");
  });

  it("keeps 著 of 专著, 编著, 软著 (the Taiwan table would make it the particle 着)", () => {
    expect(normalizeQuery("出版专著、编著各一部，软著两个")).toBe("出版专著、编著各一部,软著两个");
  });

  it("is idempotent, never throws and stays bounded", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 300 }), (s) => {
        const once = normalizeQuery(s);
        expect(normalizeQuery(once)).toBe(once);
        expect(once.length).toBeLessThanOrEqual(MAX_QUESTION_CHARS);
      }),
      { numRuns: 500 },
    );
  });

  it("bounds a long input", () => {
    expect(normalizeQuery("㍿".repeat(MAX_QUESTION_CHARS * 2)).length).toBeLessThanOrEqual(
      MAX_QUESTION_CHARS,
    );
  });
});

describe("the question echoed back", () => {
  it("is exactly the input, for any accepted input (normalising is for matching only)", async () => {
    await fc.assert(
      fc.asyncProperty(typedQuestion, async (q) => {
        const checked = checkQuestion(q);
        expect(checked.ok && checked.question).toBe(q);
        // The CLI and GET /api/ask answer the checked question; answering the raw one is the same.
        if (!checked.ok) return;
        expect((await answerQuestion(checked.question, { kb, retriever })).question).toBe(q);
      }),
      { numRuns: 300 },
    );
  });

  it("is not altered by the traditional-to-simplified conversion", async () => {
    const r = await answerQuestion("北京能破格么", { kb, retriever });
    expect(r.question).toBe("北京能破格么");
    expect(r.grounded).toBe(true);
    expect(r.citations[0]?.docId).toBe("beijing-ai-title-2020");
  });
});

describe("answerQuestion on arbitrary strings", () => {
  it("never throws and always returns the contract's shape", async () => {
    const pieces = fc.constantFrom(
      "巴中",
      "北京",
      "高工",
      "截止",
      "深圳",
      "红烧肉",
      "〔2023〕",
      "？",
      "\u200b",
      "😀",
      "職稱",
      " ",
    );
    const text = fc.oneof(
      fc.string({ unit: "binary", maxLength: 200 }),
      fc.array(pieces, { maxLength: 12 }).map((a) => a.join("")),
    );
    await fc.assert(
      fc.asyncProperty(text, async (q) => {
        const r = await answerQuestion(q, { kb, retriever });
        expect(typeof r.answer).toBe("string");
        expect(r.answer.length).toBeGreaterThan(0);
        expect(typeof r.grounded).toBe("boolean");
        if (!r.grounded) expect(r.citations.every((c) => typeof c.clauseId === "string")).toBe(true);
      }),
      { numRuns: 300 },
    );
  });
});
