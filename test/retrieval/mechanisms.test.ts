// One test per general mechanism behind the held-out evaluation's findings (not per question).
import { describe, expect, it } from "vitest";
import { answerQuestion } from "../../src/retrieval/answer-question.ts";
import { splitSentences } from "../../src/retrieval/answer-sentences.ts";
import { kb, retriever } from "./fixture.ts";

const ask = (q: string) => answerQuestion(q, { kb, retriever });
const clause = (id: string) => {
  const c = kb.clauses.find((x) => x.clauseId === id);
  if (!c) throw new Error(`no clause ${id}`);
  return c;
};

describe("colloquial wording", () => {
  it("finds lexicon phrases that jieba cuts through (打哪个电话, 分几级, 叫啥)", () => {
    const t = retriever.tokenizer;
    expect(t.phrasesIn("可以打哪个电话咨询")).toContain("打哪个电话");
    expect(t.phrasesIn("一共分几级，每级叫啥")).toEqual(expect.arrayContaining(["分几级", "叫啥"]));
  });

  it("expands a colloquial phrase into the notices' terms", () => {
    const terms = retriever.analyze("北京AI职称分几级").terms.map((x) => x.term);
    expect(terms).toContain("人工智能");
    expect(terms).toContain("层级");
  });

  it.each([
    ["北京AI职称一共分几级，每级叫啥", "beijing-ai-title-2020:二、(二)"],
    ["巴中是县里评还是市里评", "bazhong-digital-2024:一、(三)"],
    ["浙江正高评审有问题可以打哪个电话咨询", "zhejiang-professor-2023:五、"],
    ["浙江人工智能高评委办公室设在哪", "zhejiang-ai-title-reform-draft:三、(三)1."],
  ])("answers %s from %s", async (q, id) => {
    const r = await ask(q);
    expect(r.grounded).toBe(true);
    expect(r.citations.slice(0, 3).map((c) => c.clauseId)).toContain(id);
  });
});

describe("preamble header lines", () => {
  it("marks title, document number, addressee and signature lines by their form, not the body", () => {
    expect(retriever.isHeader(clause("zhejiang-professor-2023:前言2"))).toBe(true); // 浙经信人事〔2023〕291号
    expect(retriever.isHeader(clause("zhejiang-professor-2023:前言3"))).toBe(true); // the title
    expect(retriever.isHeader(clause("zhejiang-professor-2023:前言4"))).toBe(true); // 各市经信局、…：
    expect(retriever.isHeader(clause("beijing-ai-title-2020:前言5"))).toBe(true); // the issuer
    // A sentence of the preamble, and a colon line after the first sentence, carry substance.
    expect(retriever.isHeader(clause("beijing-ai-title-2020:前言4"))).toBe(false);
    expect(retriever.isHeader(clause("beijing-ai-title-2020:附件前言2"))).toBe(false);
    expect(retriever.isHeader(clause("zhejiang-professor-2023:一、1."))).toBe(false);
  });

  it("lets the substantive clause outrank an addressee line sharing its entity word", async () => {
    const r = await ask("中央部属企业在浙江的员工可以在浙江评正高吗");
    expect(r.citations[0]?.clauseId).toBe("zhejiang-professor-2023:一、2.");
  });

  it("lets the clause with the date outrank the notice title", async () => {
    const r = await ask("北京人工智能评价试行办法从哪天起施行");
    expect(r.citations[0]?.clauseId).toBe("beijing-ai-title-2020:六、(二)");
  });
});

describe("answer type and pointers", () => {
  it("prefers the clause with the substance over one that only says where to download it", async () => {
    const r = await ask("浙江正高级工程师评审专业范围");
    expect(r.citations[0]?.clauseId).toBe("zhejiang-professor-2023:一、1.");
    // Asking where to download it, the pointer is the answer.
    const where = await ask("浙江正高的《行业协会或专家推荐表》在哪下载");
    expect(where.citations[0]?.clauseId).toBe("zhejiang-professor-2023:四、(一)");
  });

  it("does not let a list of all level names answer a question about who runs one level's review", async () => {
    const r = await ask("北京人工智能助工和中级评审是哪个机构具体经办的");
    expect(r.citations[0]?.clauseId).toBe("beijing-ai-title-2020:四、(二)");
  });

  it("moves the clause holding a phone number first for a phone question", async () => {
    const r = await ask("浙江正高评审联系电话");
    expect(r.citations[0]?.clauseId).toBe("zhejiang-professor-2023:五、");
    expect(r.answer).toContain("0571-86070951");
  });
});

describe("refusals", () => {
  it("refuses a subject the asked region's notices never mention, naming it, though others do", async () => {
    const r = await ask("北京人工智能职称评审费是多少钱");
    expect(r.grounded).toBe(false);
    expect(r.answer).toContain("北京的通知中没有关于“评审费”的规定");
    expect(r.citations).toEqual([]);
    // The same subject where the notice sets it is answered.
    expect((await ask("巴中评中级职称交多少钱")).answer).toContain("200元");
  });

  it("answers a date the held clause states, though 资历 is a condition word", async () => {
    const r = await ask("浙江人工智能高级工程师资历算到什么时候为止");
    expect(r.grounded).toBe(true);
    expect(r.citations[0]?.clauseId).toBe("zhejiang-ai-senior-2024:二、(四)");
    expect(r.answer).toContain("2024年12月31日");
  });

  it("refuses a question on an unheld document's own subject, naming it, without 条件 in the question", async () => {
    const r = await ask("浙江工信领域专业技术人员每年继续教育要登记多少学时");
    expect(r.grounded).toBe(false);
    expect(r.answer).toContain("浙经信人事〔2018〕99号");
    // A count the held clause states itself (the years whose hours are checked) is answered.
    const years = await ask("２０２４年浙江人工智能高工继续教育要核验哪几年的学时");
    expect(years.grounded).toBe(true);
    expect(years.answer).toContain("2022—2024");
  });

  it("refuses basic conditions delegated to an unheld document, whatever level the held text names", async () => {
    for (const q of ["巴中申报助理工程师需要什么学历、工作几年", "巴中职称基本条件怎么规定"]) {
      const r = await ask(q);
      expect(r.grounded, q).toBe(false);
      expect(r.answer, q).toContain("川数中心发〔2022〕8号");
    }
  });

  it("refuses an off-topic question for being off topic, not for an unheld document", async () => {
    const r = await ask("个税专项附加扣除里的职业资格继续教育怎么填报");
    expect(r.grounded).toBe(false);
    expect(r.answer).not.toContain("99号");
    expect(r.answer).toContain("没有能回答这个问题的内容");
  });
});

describe("answer sentences", () => {
  it("does not split a sentence at a semicolon inside an address", () => {
    const parts = splitSentences("登录系统(http://103.203.218.251;8081/zcpsqd/home)注册；然后上传。");
    expect(parts).toEqual(["登录系统(http://103.203.218.251;8081/zcpsqd/home)注册；", "然后上传。"]);
  });

  it("answers 寄到哪 with the sentence that has the address", async () => {
    const r = await ask("巴中的纸质申报材料送到哪个地址");
    expect(r.answer).toContain("江北大道西段74号4楼");
  });

  it("keeps what a procedure heading says after its label", async () => {
    const r = await ask("浙江人工智能高工申报要走哪些程序，最后报到哪里");
    expect(r.answer).toContain("上报高评委办公室");
  });
});

describe("the asker's story is not the question's subject", () => {
  it("reads durations, counts and hedges as fillers, not content words", () => {
    const t = retriever.tokenizer;
    for (const w of ["两年半", "五年", "一家", "快", "左右", "大概"]) expect(t.isFiller(w), w).toBe(true);
    for (const w of ["职称", "截止", "硕士"]) expect(t.isFiller(w), w).toBe(false);
    expect(retriever.analyze("研究生毕业快两年半了").contentWords).not.toContain("两年");
  });

  it("keeps a term the region never mentions from refusing when the other specific words match well", async () => {
    const r = await ask("我在杭州一家民企上班，网上申报啥时候截止");
    expect(r.grounded).toBe(true);
    expect(r.answer).toContain("9月6日");
  });

  it("still refuses a subject the region lacks when only generic words remain (北京 fee)", async () => {
    const r = await ask("北京人工智能职称评审费多少钱");
    expect(r.grounded).toBe(false);
  });
});

describe("contact and signature lines", () => {
  it("keeps a clause naming the organiser only in contact lines below the clause with the asked date", async () => {
    const r = await ask("之江实验室高工评审网上申报什么时候截止");
    const ids = r.citations.slice(0, 3).map((c) => c.clauseId);
    expect(ids).toContain("zhejiang-ai-senior-2024:四、(一)");
    expect(ids).not.toContain("zhejiang-ai-senior-2024:五、");
  });

  it("still finds the contact clause when the question asks whom to call", async () => {
    const r = await ask("之江实验室的联系电话是多少");
    expect(r.citations[0]?.clauseId).toBe("zhejiang-ai-senior-2024:五、");
  });
});

describe("an exceptional route ranks after the ordinary one unless asked for", () => {
  it.each([
    ["北京高级工程师需要什么条件", /^附件 三、\(一\)/u],
    ["北京高工需要什么学历和年限", /^附件 三、\(一\)/u],
    ["北京能破格么", /^附件 三、\(四\)/u],
    ["北京不受学历限制申报高工有哪些情形", /^附件 三、\(四\)/u],
  ])("%s → %s", async (question, path) => {
    const answer = await ask(question);
    expect(answer.citations[0]?.path).toMatch(path);
  });
});
