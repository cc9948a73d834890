// LLM synthesis against a local fake OpenAI-compatible server: verified answers pass, invented ones fall back.
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { answerExtractive, answerQuestion } from "../../src/retrieval/answer-question.ts";
import { LlmSynthesizer, verifySynthesis } from "../../src/retrieval/llm-synthesis.ts";
import { kb, retriever } from "./fixture.ts";

let server: Server;
let baseUrl = "";
/** What the fake model answers next, and the prompts it received. */
let nextReply = "";
const prompts: string[] = [];

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = "";
    req.on("data", (chunk: Buffer) => (body += chunk.toString()));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/v1/chat/completions") {
        res.writeHead(404).end();
        return;
      }
      prompts.push(body);
      res.writeHead(200, { "content-type": "application/json" });
      res.end(
        JSON.stringify({
          id: "chatcmpl-test",
          object: "chat.completion",
          created: 0,
          model: "fake",
          choices: [{ index: 0, message: { role: "assistant", content: nextReply }, finish_reason: "stop" }],
          usage: { prompt_tokens: 1, completion_tokens: 1, total_tokens: 2 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v1`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

const QUESTION = "2024年浙江人工智能高工网上个人申报截止到什么时候";
const CLAUSE = "zhejiang-ai-senior-2024:四、(一)";

function deps() {
  return {
    kb,
    retriever,
    llm: new LlmSynthesizer({ baseUrl, apiKey: "test-key", model: "fake", timeoutMs: 5000 }),
  };
}

describe("LLM synthesis", () => {
  it("accepts a good answer that cites a retrieved clause and only its dates", async () => {
    nextReply = `网上个人申报截止时间为2024年9月6日，所在单位推荐截止时间为9月20日 [${CLAUSE}]。`;
    const r = await answerQuestion(QUESTION, deps());
    expect(r.grounded).toBe(true);
    expect(r.answer).toBe(nextReply);
    expect(r.citations.some((c) => c.clauseId === CLAUSE)).toBe(true);
    // The prompt carries the retrieved clauses with their ids, and the question.
    const last = prompts[prompts.length - 1] ?? "";
    expect(last).toContain(CLAUSE);
    expect(last).toContain("网上个人申报截止时间为2024年9月6日");
  });

  it("rejects an invented date and falls back to the extractive answer", async () => {
    nextReply = `网上个人申报截止时间为2024年9月16日 [${CLAUSE}]。`;
    const r = await answerQuestion(QUESTION, deps());
    const extractive = answerExtractive(QUESTION, { kb, retriever });
    expect(r.answer).toBe(extractive.answer);
    expect(r.answer).not.toContain("9月16日");
  });

  it("rejects a citation of a clause that was not retrieved", async () => {
    nextReply = "截止时间为2024年9月6日 [beijing-ai-title-2020:五、(二)]。";
    const r = await answerQuestion(QUESTION, deps());
    expect(r.answer).toBe(answerExtractive(QUESTION, { kb, retriever }).answer);
  });

  it("falls back when the model cannot be reached", async () => {
    const offline = new LlmSynthesizer({
      baseUrl: "http://127.0.0.1:1/v1",
      apiKey: "k",
      model: "m",
      timeoutMs: 2000,
    });
    const r = await answerQuestion(QUESTION, { kb, retriever, llm: offline });
    expect(r.answer).toBe(answerExtractive(QUESTION, { kb, retriever }).answer);
  });
});

describe("verifySynthesis", () => {
  const clause = kb.clause(CLAUSE);
  if (!clause) throw new Error("fixture clause missing");
  it("normalises date forms", () => {
    expect(verifySynthesis(`截止2024-09-06 [${CLAUSE}]`, [clause])).toBeNull();
    expect(verifySynthesis(`截止9月6日 [${CLAUSE}]`, [clause])).toBeNull();
    expect(verifySynthesis(`截止2023年9月6日 [${CLAUSE}]`, [clause])).toMatch(/date/);
  });
  it("checks plain numbers and requires a citation", () => {
    expect(verifySynthesis(`公示5个工作日 [${CLAUSE}]`, [clause])).toBeNull();
    expect(verifySynthesis(`公示7个工作日 [${CLAUSE}]`, [clause])).toMatch(/number/);
    expect(verifySynthesis("截止9月6日", [clause])).toMatch(/no clause/);
  });
});
