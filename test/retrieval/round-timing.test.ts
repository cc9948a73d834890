// Answers on the day asked (rounds over or not, years no notice covers) and the guard for subjects no notice covers.
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { answerExtractive } from "../../src/retrieval/answer-question.ts";
import { roundsOnDay } from "../../src/rules/round-book.ts";
import { KNOWLEDGE_DIR } from "../support/paths.ts";
import { kb, retriever } from "./fixture.ts";

const onDay = roundsOnDay(join(KNOWLEDGE_DIR, "deadlines"), kb);
const ask = (q: string, asOf?: string) =>
  answerExtractive(q, { kb, retriever, ...(asOf ? { timing: onDay(asOf) } : {}) });

describe("answers on the day asked", () => {
  it("say the round is over, naming the day, once its last step has passed, and keep the quoted step", () => {
    const q = "浙江人工智能高工网上个人申报什么时候截止";
    const open = ask(q, "2024-08-20");
    const closed = ask(q, "2025-01-10");
    expect(open.answer).toContain("9月6日");
    expect(open.answer).not.toContain("该轮申报已于");
    expect(closed.answer).toContain("9月6日");
    expect(closed.answer).toContain("该轮申报已于2024年10月23日结束");
    expect(closed.citations).toEqual(open.citations);
  });

  it("say nothing about rounds for a standing measure (Beijing 2020 has no dated steps)", () => {
    expect(ask("北京人工智能正高评审由哪个单位承担", "2030-01-01").answer).not.toContain("该轮申报已于");
  });

  it("refuse a round year no held notice covers, for the region named, whatever the day", () => {
    for (const asOf of ["2024-09-01", "2030-01-01"]) {
      const r = ask("2026年巴中职称什么时候申报", asOf);
      expect(r.grounded).toBe(false);
      expect(r.answer).toContain("没有2026年的申报通知");
      expect(r.answer).toContain("0827-5285993");
    }
    expect(ask("2024年巴中职称网上申报什么时候截止", "2030-01-01").grounded).toBe(true);
    // The 2023 professor round (steps in 2024) covers 2023 by its title.
    expect(ask("浙江2023年度正高级工程师要核验哪几年的继续教育学时", "2030-01-01").grounded).toBe(true);
  });

  it("without a day, say nothing about time (the engine-free default of the library call)", () => {
    expect(ask("2026年巴中职称什么时候申报").answer).not.toContain("没有2026年");
  });
});

describe("subjects no held notice covers", () => {
  it.each([
    ["评上高工以后工资能涨多少", "工资待遇"],
    ["北京人工智能职称的补贴怎么领", "工资待遇"],
    ["巴中评职称还要考职称英语吗", "外语、计算机考试"],
    ["浙江高工要考计算机应用能力吗", "外语、计算机考试"],
    ["评上工程师可以在杭州落户吗", "户口、落户"],
    ["巴中评职称要交社保吗", "社保、公积金"],
  ])("%s is refused as %s, saying what the notices cover", (q, topic) => {
    const r = ask(q);
    expect(r.grounded).toBe(false);
    expect(r.citations).toEqual([]);
    expect(r.answer).toContain(topic);
    expect(r.answer).toContain("申报条件");
  });

  it("a cue across two words is no cue: 高工资历 is 高工 and 资历", () => {
    const r = ask("浙江AI高工 资历算到什么时候截止");
    expect(r.grounded).toBe(true);
    expect(r.answer).toContain("2024年12月31日");
  });

  it("a cue inside a name the notices use is that name, not the subject", () => {
    const r = ask("浙江事业单位人事工资管理服务系统里要核定岗位吗");
    expect(r.grounded).toBe(true);
    expect(r.citations[0]?.text).toContain("人事工资管理服务系统");
  });
});
