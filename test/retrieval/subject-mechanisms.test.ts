// Mechanisms behind a third held-out evaluation (one test per general cause, in our own wording).
import { describe, expect, it } from "vitest";
import { answerQuestion } from "../../src/retrieval/answer-question.ts";
import { kb, retriever } from "./fixture.ts";

const ask = (q: string) => answerQuestion(q, { kb, retriever });
const top3 = async (q: string) => (await ask(q)).citations.slice(0, 3).map((c) => c.clauseId);

describe("an unheld place named with a held region", () => {
  it("ranks the unheld place as a subject word at full weight", () => {
    const terms = retriever.analyze("在重庆拿的职称证书，去巴中申报认可吗").terms;
    expect(terms.find((t) => t.term === "重庆")?.weight).toBe(1);
    // The held region itself still only picks the notices.
    expect(terms.find((t) => t.term === "巴中")?.weight).toBeLessThan(1);
  });

  it("finds the mutual-recognition clause that names the unheld place", async () => {
    expect(await top3("在重庆拿的职称证书，去巴中申报认可吗")).toContain("bazhong-digital-2024:二、");
  });

  it("still refuses a question naming only the unheld place", async () => {
    expect((await ask("重庆评职称要什么条件")).grounded).toBe(false);
  });
});

describe("what is asked about (问什么, 考哪些) is the content", () => {
  it("answers with the clause stating the content", async () => {
    const r = await ask("巴中的答辩一般考哪些");
    expect(r.citations[0]?.clauseId).toBe("bazhong-digital-2024:三、(五)2.");
  });
});

describe("who organises", () => {
  it("prefers a clause naming the organiser, even in another notice of the region", async () => {
    const r = await ask("浙江AI正高评审归谁组织");
    expect(r.citations[0]?.clauseId).toBe("zhejiang-ai-title-reform-draft:三、(三)1.");
    expect(r.answer).toContain("由省经信厅统一组织");
  });
});

describe("a sum of money asked for", () => {
  it("is refused, with the region's contacts, where the notices state no sum", async () => {
    const r = await ask("之江实验室的评审费要付多少钱");
    expect(r.grounded).toBe(false);
    expect(r.answer).toContain("没有写明评审费金额");
    expect(r.answer).toMatch(/0571-\d{8}/u);
  });

  it.each(["巴中中级评审费多少钱", "巴中助工交多少钱", "评审费多少钱"])(
    "answers %s from a stated sum",
    async (q) => {
      const r = await ask(q);
      expect(r.grounded).toBe(true);
      expect(r.answer).toMatch(/\d+元/u);
    },
  );
});

describe("conditions in documents we do not hold", () => {
  it.each([
    ["浙江信息技术专业正高评审条件", "浙经信人事〔2019〕144号"],
    ["浙江轻纺专业正高要几篇论文", "浙经信人事〔2020〕166号"],
  ])("refuses %s naming %s", async (q, doc) => {
    const r = await ask(q);
    expect(r.grounded).toBe(false);
    expect(r.answer).toContain(doc);
  });

  it("names only the document on the asked subject when the clause delegates per subject", async () => {
    const r = await ask("浙江轻纺专业正高要几篇论文");
    // The lead names the source; the quoted clause that follows it mentions every document.
    expect(r.answer.split("通知中的相关原文")[0]).not.toContain("浙经信人事〔2019〕144号");
  });
});

describe("a question naming an unheld document", () => {
  it("is refused naming that document, citing the clause that refers to it", async () => {
    const r = await ask("按〔2022〕77号文，高级技师取得证书满几年能申报高工");
    expect(r.grounded).toBe(false);
    expect(r.answer).toContain("浙人社发〔2022〕77号");
    expect(r.citations[0]?.clauseId).toBe("zhejiang-ai-senior-2024:二、(二)");
  });

  it("does not take a calendar year for an asked number of years", async () => {
    // "几年" wants a duration ("满5年"); the "2024年度" of a notice's preamble is not one.
    const r = await ask("北京本科毕业几年可以评工程师");
    expect(r.grounded).toBe(true);
    expect(r.citations[0]?.clauseId).toBe("beijing-ai-title-2020:附件二、(一)2.(3)");
  });
});
