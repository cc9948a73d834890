// Several facts from one message, each date finding its event, and answers read against the pending question.
import { describe, expect, it } from "vitest";
import { extractFacts } from "../../src/dialogs/parse/extract-facts.ts";
import { normalizeInput } from "../../src/dialogs/parse/normalize-input.ts";

const TODAY = "2024-08-15";
const read = (text: string, pending?: Parameters<typeof extractFacts>[1]["pending"], profile = {}) =>
  extractFacts(normalizeInput(text), { today: TODAY, pending, profile });

describe("extractFacts", () => {
  it("reads the brief's example message whole", () => {
    const ex = read("北京，硕士，2019年7月毕业，一直做AI，能评高工吗");
    expect(ex.facts).toEqual({
      region: "beijing",
      education: "master",
      graduated: "2019-07",
      targetLevel: "senior",
    });
    expect(ex.specialtySinceGraduation).toBe(true);
  });

  it("reads full-width and spaced wording", () => {
    const ex = read("浙江  本科 ２０１６年６月毕业 做了８年 想报 高级工程师");
    expect(ex.facts).toMatchObject({
      region: "zhejiang",
      education: "bachelor",
      graduated: "2016-06",
      specialtyWorkSince: "2016-08",
      targetLevel: "senior",
    });
  });

  it("tells the held title and its date from the target", () => {
    const ex = read("我是中级工程师，2020年5月取得，本系列，想评副高");
    expect(ex.facts.targetLevel).toBe("senior");
    expect(ex.title).toEqual({ level: "engineer", obtained: "2020-05", series: "same" });
  });

  it("places a bare date by the pending question", () => {
    expect(read("2018年7月", "graduated").facts.graduated).toBe("2018-07");
    expect(read("2018年7月", "specialtyWorkSince").facts.specialtyWorkSince).toBe("2018-07");
    expect(read("2018年7月", "currentTitle").title.obtained).toBe("2018-07");
    expect(read("2018年7月").looseDate).toBe("2018-07");
  });

  it("asks back a year without its month", () => {
    expect(read("2019年毕业").yearOnly).toEqual({ field: "graduated", year: 2019 });
  });

  it("reads short answers only against the question they answer", () => {
    expect(read("有", "performanceMet").facts.performanceMet).toBe(true);
    expect(read("没有", "continuingEducationMet").facts.continuingEducationMet).toBe(false);
    expect(read("没有", "awards").facts.awards).toEqual([]);
    expect(read("没有", "achievements").facts.achievements).toBe(0);
    expect(read("没有", "currentTitle").title.level).toBe("none");
    expect(read("3篇", "achievements").facts.achievements).toBe(3);
    expect(read("88", "selfScore").facts.selfScore).toBe(88);
    expect(read("有").facts).toEqual({});
  });

  it("records 不知道 for the pending question only", () => {
    expect(read("不知道", "graduated").unknownPending).toBe(true);
    expect(read("不知道").unknownPending).toBe(false);
  });

  it("reads a level alone as the target until one is known, then as the held title", () => {
    expect(read("中级").facts.targetLevel).toBe("engineer");
    expect(read("中级", undefined, { targetLevel: "senior" }).title.level).toBe("engineer");
    expect(read("高工", "targetLevel", { targetLevel: "engineer" }).facts.targetLevel).toBe("senior");
  });

  it("flags the ambiguous 研究生 and places we hold no notice for", () => {
    expect(read("研究生学历").ambiguousPostgraduate).toBe(true);
    expect(read("成都的，能评高工吗").unsupportedPlace).toBe("成都");
  });

  it("reads awards and counts without confusing them with years", () => {
    const ex = read("省部级科技进步奖排名第二，论文3篇，专利1项，工作5年了");
    expect(ex.facts.awards).toEqual([{ kind: "provincial-sci-tech-award", rank: 2 }]);
    expect(ex.facts.achievements).toBe(4);
    expect(ex.facts.specialtyWorkSince).toBe("2019-08");
  });
});
