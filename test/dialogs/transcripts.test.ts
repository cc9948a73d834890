// Whole conversations through the test channel against the real engine, deadlines and Q&A.
import { describe, expect, it } from "vitest";
import { fixedClock } from "../../src/shared/clock.ts";
import { realDeps } from "./support/real-deps.ts";
import { testChat } from "./support/test-chat.ts";

const deps = realDeps();
const VERDICT = /结论：(符合|暂不符合|尚无法确定)/;

/** Answers each question by its topic until a verdict comes (or the script runs out). */
async function converse(chat: ReturnType<typeof testChat>, first: string, answers: Array<[RegExp, string]>) {
  await chat.says(first);
  for (let i = 0; i < 20 && !VERDICT.test(chat.last()); i++) {
    const question = chat.last().split("\n").at(-1) ?? "";
    const answer = answers.find(([topic]) => topic.test(question));
    if (!answer) throw new Error(`no scripted answer for: ${chat.last()}\n${chat.transcript().join("\n")}`);
    await chat.says(answer[1]);
  }
  return chat.last();
}

describe("a conversation to a verdict, per region", () => {
  it("北京: asks for what is missing and gives a verdict with clauses and deadlines", async () => {
    const chat = testChat(deps);
    await chat.says("能评高工吗");
    expect(chat.last()).toMatch(/地区|哪里/);
    expect(chat.lastReplies().at(-1)?.choices).toContain("北京");
    const verdict = await converse(chat, "北京", [
      [/单位.*性质/, "民企"],
      [/业绩条件/, "满足"],
      [/代表性成果/, "论文2篇，发明专利2项"],
      [/继续教育/, "是的"],
      [/最高学历/, "硕士"],
      [/毕业/, "2015年7月"],
      [/奖/, "没有"],
      [/从事.*专业工作/, "毕业后一直做"],
      [/取得的|职称是什么/, "2018年7月取得本系列中级"],
      [/本系列/, "本系列"],
    ]);
    expect(verdict).toMatch(VERDICT);
    expect(verdict).toMatch(/附件 三、/); // each criterion names its clause
    const report = deps.assess(
      { region: "beijing", targetLevel: "senior", ...chat.state()?.profile },
      "2024-08-15",
    );
    const expected = { eligible: "符合", ineligible: "暂不符合", undetermined: "尚无法确定" }[report.verdict];
    expect(verdict).toContain(`结论：${expected}`);
    expect(chat.lastReplies().at(-1)?.citations?.length).toBeGreaterThan(0);
  });

  it("浙江: several facts in one message, then the remaining questions", async () => {
    const chat = testChat(deps);
    const verdict = await converse(chat, "杭州，国企，想评高工", [
      [/继续教育/, "已完成"],
      [/自评分/, "自评92分"],
      [/单位.*性质/, "国企"],
    ]);
    expect(chat.state()?.profile).toMatchObject({
      region: "zhejiang",
      targetLevel: "senior",
      employerType: "state-owned",
    });
    expect(verdict).toMatch(VERDICT);
    expect(verdict).toMatch(/2024-09-06/); // the round's next deadline is shown
  });

  it("四川巴中: stops asking when only an unheld document stands in the way", async () => {
    const chat = testChat(deps);
    const verdict = await converse(chat, "四川巴中的，能评工程师吗", [
      [/单位.*性质/, "事业单位"],
      [/其他系列/, "没有"],
    ]);
    expect(verdict).toMatch(/尚无法确定/);
    expect(verdict).toMatch(/川数中心发〔2022〕8号/);
    expect(chat.turns()).toBeLessThanOrEqual(4);
  });

  it("says which regions it covers when asked about another place", async () => {
    const chat = testChat(deps);
    await chat.says("成都的，能评高工吗");
    expect(chat.last()).toMatch(/北京、浙江、四川巴中/);
    expect(chat.state()?.profile.region).toBeUndefined();
  });
});

describe("the form", () => {
  it("says what is kept and for how long once, before the first fact", async () => {
    const chat = testChat(deps);
    await chat.says("你好");
    expect(chat.last()).not.toMatch(/30 天/);
    await chat.says("北京");
    expect(chat.last()).toMatch(/30 天.*\/forget/);
    await chat.says("高级工程师");
    expect(chat.last()).not.toMatch(/30 天/);
  });

  it("says what it understood", async () => {
    const chat = testChat(deps);
    await chat.says("北京，硕士，2019年7月毕业，一直做AI，能评高工吗");
    expect(chat.last()).toMatch(/已记录：.*地区 北京.*申报 高级工程师.*硕士.*2019-07 毕业/);
  });

  it("accepts a correction and re-derives what depends on it", async () => {
    const chat = testChat(deps);
    await chat.says("北京，硕士，2019年7月毕业，一直做AI，能评高工吗");
    await chat.says("不对，是2018年毕业");
    expect(chat.last()).toMatch(/已记录：.*2018-07 毕业/);
    expect(chat.state()?.profile).toMatchObject({ graduated: "2018-07", specialtyWorkSince: "2018-07" });
  });

  it("re-asks a field on 改一下学历", async () => {
    const chat = testChat(deps);
    await chat.says("北京，本科，能评高工吗");
    await chat.says("改一下学历");
    expect(chat.last()).toMatch(/学历/);
    expect(chat.state()?.profile.education).toBeUndefined();
    await chat.says("博士");
    expect(chat.state()?.profile.education).toBe("doctorate");
  });

  it("re-asks the graduation date and keeps 一直做 tied to it", async () => {
    const chat = testChat(deps);
    await chat.says("北京，硕士，2019年7月毕业，一直做AI，能评高工吗");
    await chat.says("修改毕业时间");
    expect(chat.last()).toMatch(/毕业/);
    await chat.says("2017年6月");
    expect(chat.state()?.profile).toMatchObject({ graduated: "2017-06", specialtyWorkSince: "2017-06" });
  });

  it("answers a policy question mid-way with citations, then repeats the pending question", async () => {
    const chat = testChat(deps);
    await chat.says("北京，能评高工吗");
    const pending = chat.last().split("\n").at(-1) ?? "";
    await chat.says("公示几天？");
    const [answer, resume] = chat.lastReplies();
    expect(answer?.text).toMatch(/公示/);
    expect(answer?.citations?.length).toBeGreaterThan(0);
    expect(resume?.text).toContain(pending);
    expect(chat.state()?.step).toEqual({ name: "asking", field: "employerType" });
  });

  it("records 不知道 and does not ask that again", async () => {
    const chat = testChat(deps);
    await chat.says("北京，能评高工吗");
    const asked = chat.state()?.step;
    expect(asked?.name).toBe("asking");
    await chat.says("不知道");
    expect(chat.last()).toMatch(/暂不清楚/);
    expect(chat.state()?.unknown).toContain(asked?.name === "asking" ? asked.field : "");
    expect(chat.state()?.step).not.toEqual(asked);
  });

  it("asks back an ambiguous 研究生", async () => {
    const chat = testChat(deps);
    await chat.says("北京，研究生，能评高工吗");
    expect(chat.last()).toMatch(/硕士还是博士/);
    expect(chat.lastReplies().at(-1)?.choices).toEqual(["硕士", "博士"]);
    await chat.says("硕士");
    expect(chat.state()?.profile.education).toBe("master");
  });

  it("asks the month of a bare year", async () => {
    const chat = testChat(deps);
    await chat.says("北京，硕士，2019年毕业，能评高工吗");
    expect(chat.last()).toMatch(/2019年几月/);
    await chat.says("7月");
    expect(chat.state()?.profile.graduated).toBe("2019-07");
  });

  it("resolves 去年 and 三年前 against the injected clock", async () => {
    const chat = testChat(realDeps(fixedClock("2025-03-10T02:00:00Z")));
    await chat.says("北京，本科，去年7月毕业，能评工程师吗");
    expect(chat.state()?.profile.graduated).toBe("2024-07");
  });

  it("a verdict for a round that has closed says so first, still explains the criteria, and lists no deadlines", async () => {
    const chat = testChat(realDeps(fixedClock("2026-11-29T02:00:00Z")));
    await chat.says("巴中，能评工程师吗");
    await chat.says("详细");
    expect(chat.last()).toMatch(/该轮申报已于2024年10月23日结束/);
    expect(chat.last()).toMatch(/下一轮申报很可能沿用/);
    expect(chat.last()).not.toMatch(/暂无今天以后的时间节点/);
    expect(chat.last()).toMatch(/全部条件及条款原文/);
  });

  it("deadlines asked after every step has passed name the last step instead of 'none after today'", async () => {
    const late = testChat(realDeps(fixedClock("2026-11-29T02:00:00Z")));
    await late.says("/deadlines 巴中");
    expect(late.last()).toMatch(/时间节点都已过去（最后一个：2024-12-31/);
    expect(late.last()).toMatch(/没有更新的通知/);
    const early = testChat(realDeps(fixedClock("2024-09-01T02:00:00Z")));
    await early.says("/deadlines 巴中");
    expect(early.last()).not.toMatch(/都已过去/);
    expect(early.last()).toMatch(/2024-09-20/);
  });

  it("a verdict while the round is open lists its next deadlines and says nothing of a closed round", async () => {
    const chat = testChat(realDeps(fixedClock("2024-09-01T02:00:00Z")));
    await chat.says("巴中，能评工程师吗");
    await chat.says("详细");
    expect(chat.last()).not.toMatch(/该轮申报已于/);
    expect(chat.last()).toMatch(/2024-09-20|9月20日/);
  });

  it("shows the full list on 详细", async () => {
    const chat = testChat(deps);
    await chat.says("北京，能评高工吗");
    await chat.says("详细");
    expect(chat.last()).toMatch(/全部条件及条款原文/);
    expect(chat.last()).toMatch(/“.+”/); // clause texts quoted
  });
});

describe("commands and look-ups", () => {
  it("/forget deletes the state and confirms", async () => {
    const chat = testChat(deps);
    await chat.says("北京，硕士");
    await chat.says("/forget");
    expect(chat.deleted()).toBe(true);
    expect(chat.last()).toMatch(/已删除/);
    await chat.says("删除我的信息");
    expect(chat.deleted()).toBe(true);
  });

  it("/reset starts over", async () => {
    const chat = testChat(deps);
    await chat.says("北京，硕士");
    await chat.says("/reset");
    expect(chat.state()?.profile).toEqual({});
  });

  it.each(["/help", "/start", "帮助"])("%s explains what it can do", async (cmd) => {
    const chat = testChat(deps);
    await chat.says(cmd);
    expect(chat.last()).toMatch(/\/forget/);
  });

  it("/deadlines lists the next dated steps of a region", async () => {
    const chat = testChat(deps);
    await chat.says("/deadlines 浙江");
    expect(chat.last()).toMatch(/2024-09-06/);
    expect(chat.lastReplies()[0]?.citations?.length).toBeGreaterThan(0);
  });

  it("/clause and /ask answer with citations", async () => {
    const chat = testChat(deps);
    await chat.says("/clause 继续教育");
    expect(chat.lastReplies()[0]?.citations?.length).toBeGreaterThan(0);
    await chat.says("/ask 北京高级工程师申报需要什么学历");
    expect(chat.lastReplies()[0]?.citations?.length).toBeGreaterThan(0);
    await chat.says("/ask");
    expect(chat.last()).toMatch(/\/ask 公示几天/);
  });

  it("a policy question naming a level mid-form still goes to the Q&A", async () => {
    const chat = testChat(deps);
    await chat.says("北京，能评高工吗");
    await chat.says("正高需要什么条件？");
    expect(chat.state()?.profile.targetLevel).toBe("senior");
    expect(chat.last()).toMatch(/回到刚才的问题/);
  });

  it("free text policy questions go to the Q&A, not the form", async () => {
    const chat = testChat(deps);
    await chat.says("北京评高工需要什么条件？");
    expect(chat.state()?.profile).toEqual({});
    expect(chat.lastReplies()[0]?.citations?.length).toBeGreaterThan(0);
  });
});

describe("bad input", () => {
  it.each([
    ["", /没有收到/],
    ["   ", /没有收到/],
    ["😀😀🎉", /没看懂/],
    ["\u0000\u0007\u200b", /没有收到|没看懂/],
    ["<script>alert(1)</script>", /./],
    ["**北京** [点我](http://x)", /./],
  ])("%j gets a helpful reply", async (text, re) => {
    const chat = testChat(deps);
    await chat.says(text);
    expect(chat.last()).toMatch(re);
  });

  it("reads only the start of a 100 KB message and says so", async () => {
    const chat = testChat(deps);
    await chat.says(`北京，能评高工吗${"啊".repeat(100_000)}`);
    expect(chat.last()).toMatch(/只读了前 500 个字/);
    expect(chat.state()?.profile.region).toBe("beijing");
  });
});
