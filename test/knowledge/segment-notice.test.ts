// Pins the clause tree of every notice: counts, specific paths and texts, offsets, clean-up.
import { describe, expect, it } from "vitest";
import { loadKnowledgeBase } from "../../src/knowledge/knowledge-base.ts";
import { segmentNotice } from "../../src/knowledge/segment-notice.ts";
import { KNOWLEDGE_DIR } from "../support/paths.ts";

const kb = loadKnowledgeBase(`${KNOWLEDGE_DIR}/notices`);
const text = (id: string) => kb.clause(id)?.text;

describe("notice trees", () => {
  it("has the five notices with their clause counts", () => {
    const counts = Object.fromEntries([...kb.notices].map(([id, n]) => [id, n.clauses.length]));
    expect(counts).toEqual({
      "bazhong-digital-2024": 41,
      "beijing-ai-title-2020": 76,
      "zhejiang-ai-senior-2024": 22,
      "zhejiang-ai-title-reform-draft": 33,
      "zhejiang-professor-2023": 19,
    });
  });

  it("gives every clause a unique id made of its doc id and path", () => {
    const ids = kb.clauses.map((c) => c.clauseId);
    expect(new Set(ids).size).toBe(ids.length);
    for (const c of kb.clauses) expect(c.clauseId).toBe(`${c.docId}:${c.path.replace(/\s+/g, "")}`);
  });

  it("segments the Beijing annex along its outline", () => {
    expect(text("beijing-ai-title-2020:附件三、(四)")).toBe(
      "(四)具备下列条件之一,可不受学历和专业工作经历限制,破格申报高级工程师:",
    );
    expect(text("beijing-ai-title-2020:附件三、(四)3.")).toBe(
      "3.作为主要起草人(排名前五)编写国家标准;或作为主要起草人(排名前三)编写行业标准或地方标准。",
    );
    expect(text("beijing-ai-title-2020:附件二、(一)2.(2)")).toBe(
      "(2)硕士研究生毕业后,从事本专业技术工作满2年;",
    );
    expect(kb.clause("beijing-ai-title-2020:附件三、(一)2.(1)")?.headings).toEqual([
      "三、高级工程师",
      "(一)基本条件",
      "2.学历和专业工作经历应符合下列条件之一",
    ]);
    expect(kb.clause("beijing-ai-title-2020:附件四、(三)")?.path).toBe("附件 四、(三)");
  });

  it("repairs a title word split across lines with its last character repeated", () => {
    expect(text("beijing-ai-title-2020:二、(二)")).toContain(
      "助理工程师、工程师、高级工程师和正高级工程师。",
    );
  });

  it("joins lines broken mid-sentence and mid-number and drops page marks and markup", () => {
    expect(text("zhejiang-ai-senior-2024:四、(一)")).toBe(
      "（一）申报推荐时间。网上个人申报截止时间为2024年9月6日，所在单位推荐截止时间为9月20日（含5个工作日公示时间），下级评委会评审推荐截止时间为10月23日，逾期不再受理。",
    );
    expect(text("zhejiang-ai-senior-2024:二、(三)")).toContain("（浙经信人事〔2018〕99号）");
    expect(text("zhejiang-ai-senior-2024:二、(三)")).toContain(
      "https://jxjy.jxt.zj.gov.cn/iext/zgProject/index.jsp",
    );
    expect(kb.clauses.some((c) => /— \d+ —|bookmark/.test(c.text))).toBe(false);
    expect(text("bazhong-digital-2024:前言1")).toBe(
      "巴中市营商环境和数据局关于开展2024年度全市大数据与人工智能专业初级、中级职称申报评审工作的通知",
    );
  });

  it("keeps half-width and full-width markers apart from the words but in one path form", () => {
    expect(text("zhejiang-professor-2023:四、(二)")).toBe(
      "(二)申报推荐时间。网上个人申报截止时间为2024年3月8日，所在单位推荐截止时间为3月21日，下一级评委会审核推荐截止时间为4月10日，逾期不再受理。",
    );
    expect(text("zhejiang-professor-2023:一、2.")).toMatch(
      /^2\.申报对象：本省企事业单位（不含参照公务员法管理的事业单位）/,
    );
    expect(text("bazhong-digital-2024:四、(二)2.")).toBe("2.个人初次提交截止时间：2024年9月20日24:00。");
    expect(text("bazhong-digital-2024:五、(三)")).toBe(
      "（三）专业技术人员同一年度不得在我省申报评审2个及以上专业技术职称。同时申报的，该年度所有评审结果无效。",
    );
  });

  it("keeps unmarked paragraphs as the body of the clause above them", () => {
    const body = text("bazhong-digital-2024:二、") ?? "";
    expect(body.split("\n")).toHaveLength(4);
    expect(body).toContain("具备大学本科学历或学士学位，从事数智工程技术专业工作满5年");
    expect(text("zhejiang-ai-title-reform-draft:三、(二)")).toBe(
      "（二）评审时间\n浙江省人工智能专业技术职务任职资格的评审工作每年组织1次。",
    );
  });

  it("points offsets at the clause's words in the source", () => {
    for (const notice of kb.notices.values()) {
      for (const c of notice.clauses) {
        const slice = notice.source.slice(c.start, c.end).replace(/\s+/g, "");
        const first = c.text.split("\n")[0]!.replace(/\s+/g, "").slice(0, 4);
        expect(slice.includes(first), `${c.clauseId} offsets`).toBe(true);
      }
    }
  });

  it("handles an empty or outline-free text without throwing", () => {
    expect(segmentNotice("x", "")).toEqual([]);
    expect(segmentNotice("x", "只有一句话。").map((c) => c.path)).toEqual(["前言1"]);
  });
});
