// Answer quality on the question sets: recall@3 of the expected clause, and every unanswerable refused.
import { describe, expect, it } from "vitest";
import { answerQuestion } from "../../src/retrieval/answer-question.ts";
import { fold, kb, readQuestions, retriever } from "./fixture.ts";

const questions = [...readQuestions("questions.dev.jsonl"), ...readQuestions("questions.more.jsonl")];

describe("ask over the question sets", () => {
  it("has the sets it claims (20 dev + at least 60 more, every notice covered)", () => {
    expect(questions.length).toBeGreaterThanOrEqual(80);
    const docs = new Set(questions.flatMap((q) => q.docs));
    for (const docId of kb.notices.keys()) expect(docs).toContain(docId);
  });

  it("finds the expected clause in the top 3 citations for at least 96% and refuses every unanswerable", async () => {
    const misses: string[] = [];
    const notRefused: string[] = [];
    let answerable = 0;
    let found = 0;
    for (const q of questions) {
      const r = await answerQuestion(q.q, { kb, retriever });
      if (!q.answerable) {
        if (r.grounded) notRefused.push(`${q.id} ${q.q}`);
        continue;
      }
      answerable++;
      const hit = r.citations
        .slice(0, 3)
        .some((c) => q.docs.includes(c.docId) && fold(c.text).includes(fold(q.key)));
      if (hit) found++;
      else misses.push(`${q.id} ${q.q} -> ${r.citations.map((c) => c.clauseId).join(", ")}`);
    }
    const recall = found / answerable;
    expect(notRefused).toEqual([]);
    expect(recall, `recall@3 ${recall.toFixed(3)}; missed:\n${misses.join("\n")}`).toBeGreaterThanOrEqual(
      0.96,
    );
  });

  it("orders citations by relevance and cites clauses exactly as the knowledge base has them", async () => {
    const r = await answerQuestion("巴中职称网上申报什么时候截止", { kb, retriever });
    expect(r.grounded).toBe(true);
    expect(r.citations.length).toBeGreaterThanOrEqual(3);
    expect(r.citations.length).toBeLessThanOrEqual(5);
    for (const c of r.citations) expect(c).toEqual(kb.cite(c.clauseId));
    // The extractive answer is the sentence with the date.
    expect(r.answer).toContain("9月20日");
  });
});

describe("refusals", () => {
  it("does not answer a place we hold nothing for from another region's notice", async () => {
    const r = await answerQuestion("深圳人工智能高级工程师申报条件", { kb, retriever });
    expect(r.grounded).toBe(false);
    expect(r.answer).toContain("深圳");
    expect(r.citations).toEqual([]);
  });

  it("reads 南京 as an unheld city, not as 京 (Beijing)", async () => {
    const r = await answerQuestion("南京的人工智能工程师怎么评", { kb, retriever });
    expect(r.grounded).toBe(false);
  });

  it("prefers the named held region's notices (杭州 means Zhejiang)", () => {
    const hits = retriever.search("杭州人工智能高级工程师网上申报截止时间", { limit: 5 });
    expect(hits.length).toBeGreaterThan(0);
    for (const h of hits) expect(kb.notice(h.clause.docId)?.meta.region).toBe("zhejiang");
  });

  it("names the unheld document that sets the conditions and still cites the referring clause", async () => {
    const r = await answerQuestion("浙江人工智能高级工程师的申报条件是什么", { kb, retriever });
    expect(r.grounded).toBe(false);
    expect(r.answer).toContain("浙经信人事〔2023〕240号");
    expect(r.citations[0]?.text).toContain("浙经信人事〔2023〕240号");
  });

  it("points to the region's contact lines when a held region's question is not covered", async () => {
    const r = await answerQuestion("巴中职称评审的专家吃饭报销吗", { kb, retriever });
    expect(r.grounded).toBe(false);
    expect(r.answer).toContain("0827-5285993");
  });
});
