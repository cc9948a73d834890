// The LangChain retriever returns clause documents carrying their citations.
import { describe, expect, it } from "vitest";
import { NoticeRetriever } from "../../src/retrieval/notice-retriever.ts";
import { kb, retriever } from "./fixture.ts";

describe("NoticeRetriever", () => {
  it("returns documents with the citation in metadata, best first", async () => {
    const lc = new NoticeRetriever({ kb, retriever, k: 3 });
    const docs = await lc.invoke("巴中申报技术员和助理工程师的评审费是多少");
    expect(docs).toHaveLength(3);
    const first = docs[0];
    expect(first?.metadata.citation.docId).toBe("bazhong-digital-2024");
    expect(first?.pageContent).toBe(first?.metadata.citation.text);
    expect(first?.pageContent).toContain("100元/人");
    expect(first?.metadata.citation).toEqual(kb.cite(first?.metadata.citation.clauseId ?? ""));
    const scores = docs.map((d) => d.metadata.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it("restricts to a region when given one", async () => {
    const lc = new NoticeRetriever({ kb, retriever, k: 5, region: "beijing" });
    const docs = await lc.invoke("公示");
    expect(docs.length).toBeGreaterThan(0);
    for (const d of docs) expect(d.metadata.citation.docId).toBe("beijing-ai-title-2020");
  });
});
