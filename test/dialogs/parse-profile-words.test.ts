// Education, titles, employer types, regions, awards, counts, yes/no and "不知道" in varied wording.
import { describe, expect, it } from "vitest";
import { parseAchievementCount, parseScore } from "../../src/dialogs/parse/achievements.ts";
import { parseAwards, parseRank } from "../../src/dialogs/parse/awards.ts";
import { parseEducation } from "../../src/dialogs/parse/education.ts";
import { parseEmployerType } from "../../src/dialogs/parse/employer-type.ts";
import { fieldToEdit, isCorrection } from "../../src/dialogs/parse/field-mention.ts";
import { parseRegion } from "../../src/dialogs/parse/region.ts";
import { parseSpecialtyWork } from "../../src/dialogs/parse/specialty-work.ts";
import { titleRole } from "../../src/dialogs/parse/target-level.ts";
import { findTitleMentions, parseTitleSeries } from "../../src/dialogs/parse/title-level.ts";
import { isUnknownAnswer } from "../../src/dialogs/parse/unknown-answer.ts";
import { parseYesNo } from "../../src/dialogs/parse/yes-no.ts";

describe("parseEducation", () => {
  it.each([
    ["中专", "secondary-vocational"],
    ["技校毕业", "secondary-vocational"],
    ["大专", "junior-college"],
    ["专科", "junior-college"],
    ["本科", "bachelor"],
    ["学士学位", "bachelor"],
    ["第二学士", "second-bachelor"],
    ["双学士", "second-bachelor"],
    ["硕士", "master"],
    ["硕士研究生", "master"],
    ["工程硕士", "master"],
    ["博士", "doctorate"],
    ["博士研究生毕业", "doctorate"],
  ])("%s → %s", (raw, value) => expect(parseEducation(raw)).toEqual({ kind: "value", value }));

  it("asks back for a bare 研究生", () => {
    expect(parseEducation("研究生")).toEqual({ kind: "ambiguous-postgraduate" });
    expect(parseEducation("研究生毕业")).toEqual({ kind: "ambiguous-postgraduate" });
  });

  it("finds nothing in unrelated text", () => expect(parseEducation("北京")).toBeUndefined());
});

describe("titles", () => {
  const levels = (t: string) => findTitleMentions(t).map((m) => m.level);
  it.each([
    ["无职称", "none"],
    ["没有职称", "none"],
    ["职称没有", "none"],
    ["初级", "assistant"],
    ["助工", "assistant"],
    ["助理工程师", "assistant"],
    ["中级", "engineer"],
    ["是工程师", "engineer"],
    ["副高", "senior"],
    ["高工", "senior"],
    ["高级工程师", "senior"],
    ["正高", "professor"],
    ["教授级高工", "professor"],
    ["正高级工程师", "professor"],
    ["技术员", "technician"],
  ])("%s → %s", (raw, level) => expect(levels(raw)).toEqual([level]));

  it("does not read a job name as a title", () => expect(levels("我是AI工程师")).toEqual([]));

  it("tells the title held from the level applied for", () => {
    const text = "我是中级，想评高工";
    const [held, wanted] = findTitleMentions(text);
    expect(held && titleRole(text, held)).toBe("current");
    expect(wanted && titleRole(text, wanted)).toBe("target");
    const q = "能评高工吗";
    const [m] = findTitleMentions(q);
    expect(m && titleRole(q, m)).toBe("target");
    const got = "中级2020年取得";
    const [g] = findTitleMentions(got);
    expect(g && titleRole(got, g)).toBe("current");
  });

  it.each([
    ["本系列", "same"],
    ["同专业的", "same"],
    ["其他系列", "other"],
    ["非本专业", "other"],
    ["经济系列，其他专业", "other"],
  ])("series %s → %s", (raw, s) => expect(parseTitleSeries(raw)).toBe(s));
});

describe("parseEmployerType", () => {
  it.each([
    ["国企", "state-owned"],
    ["央企", "state-owned"],
    ["国有企业", "state-owned"],
    ["事业单位", "public-institution"],
    ["民企", "private"],
    ["私企", "private"],
    ["民营企业", "private"],
    ["外企", "private"],
    ["非公企业", "private"],
    ["社会组织", "social-organization"],
    ["行业协会", "social-organization"],
    ["自由职业", "freelancer"],
    ["公务员", "civil-servant"],
    ["参公", "civil-servant-managed"],
    ["参照公务员法管理的单位", "civil-servant-managed"],
    ["退休了", "retired"],
    ["离退休人员", "retired"],
  ])("%s → %s", (raw, v) => expect(parseEmployerType(raw)).toBe(v));
});

describe("parseRegion", () => {
  it.each([
    ["北京", "beijing"],
    ["在北京工作", "beijing"],
    ["浙江", "zhejiang"],
    ["杭州", "zhejiang"],
    ["宁波的", "zhejiang"],
    ["温州", "zhejiang"],
    ["巴中", "sichuan-bazhong"],
    ["四川巴中", "sichuan-bazhong"],
  ])("%s → %s", (raw, value) => expect(parseRegion(raw)).toEqual({ kind: "region", value }));

  it.each([
    ["成都", "成都"],
    ["上海", "上海"],
    ["深圳", "深圳"],
  ])("%s is a place without notices", (raw, place) =>
    expect(parseRegion(raw)).toEqual({ kind: "unsupported", place }),
  );

  it("四川 is wider than the Bazhong notice: asked about, not refused", () =>
    expect(parseRegion("四川的")).toEqual({
      kind: "province",
      province: "四川",
      regions: ["sichuan-bazhong"],
    }));

  it("reads the districts and aliases of the regions file: 海淀, 中关村, 首都, 巴州区", () => {
    for (const [raw, value] of [
      ["海淀的", "beijing"],
      ["中关村一家公司", "beijing"],
      ["首都", "beijing"],
      ["巴州区", "sichuan-bazhong"],
    ] as const)
      expect(parseRegion(raw), raw).toEqual({ kind: "region", value });
  });

  it("does not read 南京 as 北京", () =>
    expect(parseRegion("南京")).toEqual({ kind: "unsupported", place: "南京" }));
});

describe("specialty work", () => {
  it.each(["一直做AI", "毕业后一直从事人工智能", "毕业就做大数据"])("%s → since graduation", (raw) =>
    expect(parseSpecialtyWork(raw)).toEqual({ kind: "since-graduation" }),
  );
  it.each([
    ["做了五年", 60],
    ["从事AI工作5年了", 60],
    ["干了两年半", 30],
    ["8年工作经验", 96],
  ])("%s → %d months", (raw, months) => expect(parseSpecialtyWork(raw)).toEqual({ kind: "months", months }));
});

describe("awards and counts", () => {
  it("reads awards with their rank", () => {
    expect(parseAwards("省部级科技进步二等奖排名第3")).toEqual([
      { kind: "provincial-sci-tech-award", rank: 3 },
    ]);
    expect(parseAwards("专利金奖 第一")).toEqual([{ kind: "china-patent-gold", rank: 1 }]);
    expect(parseAwards("专利银奖排第2，国家标准排名第五")).toEqual([
      { kind: "china-patent-silver", rank: 2 },
      { kind: "national-standard", rank: 5 },
    ]);
    expect(parseAwards("参与过行业标准")).toEqual([{ kind: "industry-standard", rank: undefined }]);
    expect(parseAwards("地方标准第2起草人")).toEqual([{ kind: "local-standard", rank: 2 }]);
  });
  it("reads bare ranks", () => {
    expect(parseRank("第二")).toBe(2);
    expect(parseRank("排名第3")).toBe(3);
    expect(parseRank("1")).toBe(1);
    expect(parseRank("很多")).toBeUndefined();
  });
  it("adds up counts", () => {
    expect(parseAchievementCount("论文3篇，发明专利两项")).toBe(5);
    expect(parseAchievementCount("三篇")).toBe(3);
    expect(parseAchievementCount("4")).toBe(4);
    expect(parseAchievementCount("很多")).toBeUndefined();
    expect(parseScore("自评85分")).toBe(85);
    expect(parseScore("72.5")).toBe(72.5);
  });
});

describe("yes/no and unknown", () => {
  it.each(["是", "是的", "对", "有", "满足", "满足了", "已经", "嗯", "yes", "好的"])("%s → yes", (raw) =>
    expect(parseYesNo(raw)).toBe(true),
  );
  it.each(["没有", "否", "不是", "无", "不满足", "还没有", "no", "没", "不够"])("%s → no", (raw) =>
    expect(parseYesNo(raw)).toBe(false),
  );
  it.each(["北京", "我想问一下公示几天的问题", ""])("%s → unclear", (raw) =>
    expect(parseYesNo(raw)).toBeUndefined(),
  );
  it.each(["不知道", "不清楚", "不确定", "记不清了", "这个我不太清楚"])("%s → unknown", (raw) =>
    expect(isUnknownAnswer(raw)).toBe(true),
  );
  it("is not fooled by a plain answer", () => expect(isUnknownAnswer("硕士")).toBe(false));
});

describe("corrections", () => {
  it.each([
    ["改一下学历", "education"],
    ["学历填错了", "education"],
    ["修改毕业时间", "graduated"],
    ["重新填地区", "region"],
    ["改一下单位性质", "employerType"],
  ])("%s → re-ask %s", (raw, field) => expect(fieldToEdit(raw)).toBe(field));
  it("recognises a correction", () => {
    expect(isCorrection("不对，是2018年毕业")).toBe(true);
    expect(isCorrection("2018年毕业")).toBe(false);
  });
});
