// Markup and stray Latin letters around a Chinese question change nothing; they never make it "off topic".
import { describe, expect, it } from "vitest";
import { answerQuestion } from "../../src/retrieval/answer-question.ts";
import { normalizeQuery } from "../../src/retrieval/normalize-query.ts";
import { kb, retriever } from "./fixture.ts";

const ask = (q: string) => answerQuestion(q, { kb, retriever });

describe("noisy questions", () => {
  it("converts traditional characters to a fixpoint (a second pass changes nothing)", () => {
    // OpenCC alone turns a lone 麼 into 么 and then 么 into 幺 (found by the idempotence property); the
    // normaliser keeps 么, so a second pass changes nothing.
    for (const s of ["麼", "么", "什麼時候", "這麼"])
      expect(normalizeQuery(normalizeQuery(s))).toBe(normalizeQuery(s));
    expect(normalizeQuery("什麼時候截止")).toBe("什么时候截止");
  });

  it("strips HTML tags from a question", () => {
    expect(normalizeQuery("<p>巴中评审费多少</p><br/>")).toBe("巴中评审费多少");
    expect(normalizeQuery('<a href="x">公示</a>几天')).toBe("公示几天");
    // A comparison is not a tag.
    expect(normalizeQuery("满5年<7年")).toBe("满5年<7年");
  });

  it.each(["巴中评审费多少 abc", "巴中评审费多少<br>", "<p>巴中评审费多少</p>", "**巴中评审费多少**"])(
    "answers %j like the plain question",
    async (q) => {
      const plain = await ask("巴中评审费多少");
      const noisy = await ask(q);
      expect(noisy.grounded).toBe(true);
      expect(noisy.citations[0]?.clauseId).toBe(plain.citations[0]?.clauseId);
    },
  );

  it("still refuses an off-topic question with Latin letters in it", async () => {
    expect((await ask("红烧肉怎么做 abc")).grounded).toBe(false);
    expect((await ask("python怎么学")).grounded).toBe(false);
  });
});
