// Conversations from issue 11: statements are facts (never policy questions), facts out of turn are kept, English
// words and typos are read as meant, numbers out of range are asked back, and explanations fit the user's case.
import { describe, expect, it } from "vitest";
import { LEXICON } from "../../src/dialogs/dialog-lexicon.ts";
import { readSpelling } from "../../src/dialogs/parse/spelling.ts";
import { realDeps } from "./support/real-deps.ts";
import { testChat } from "./support/test-chat.ts";

const cited = (chat: ReturnType<typeof testChat>) => chat.lastReplies().flatMap((r) => r.citations ?? []);

describe("statements are facts, never policy questions", () => {
  it("right after a greeting, a statement of the performance condition is recorded, not answered", async () => {
    const chat = testChat(realDeps());
    await chat.says("你好");
    await chat.says("我们做的项目业绩条件是够的");
    expect(chat.last()).toMatch(/已记录：业绩条件 满足/);
    expect(cited(chat)).toEqual([]);
    expect(chat.state()?.step).toEqual({ name: "asking", field: "region" });
  });

  it("mid-form, 继续教育学时都登记了 records the condition and the form goes on", async () => {
    const chat = testChat(realDeps());
    await chat.says("北京，想评高工");
    await chat.says("继续教育学时都登记了");
    expect(chat.last()).toMatch(/已记录：继续教育 已完成/);
    expect(cited(chat)).toEqual([]);
  });

  it("keeps facts given out of turn: no title yet, no awards, and a title with its year", async () => {
    const chat = testChat(realDeps());
    await chat.says("北京，想评高工");
    expect(chat.state()?.step).toEqual({ name: "asking", field: "employerType" });
    await chat.says("还没职称呢，也没获过奖");
    expect(chat.state()?.profile.currentTitle).toEqual({ level: "none" });
    expect(chat.state()?.profile.awards).toEqual([]);
    const other = testChat(realDeps(), "u2");
    await other.says("北京，想评高工");
    await other.says("2018年评了工程师");
    expect(other.state()?.profile.currentTitle).toEqual({ level: "engineer" });
    expect(other.last()).toMatch(/2018年几月/);
  });
});

describe("words as people type them", () => {
  it("reads English words only as whole words: a 外资company is an employer, not an MBA", async () => {
    const chat = testChat(realDeps());
    await chat.says("浙江高工");
    await chat.says("在一家外资company");
    expect(chat.state()?.profile.education).toBeUndefined();
    expect(chat.state()?.profile.employerType).toBe("private");
    await chat.says("our impact is big");
    expect(chat.state()?.profile.education).toBeUndefined();
    await chat.says("I have a master's degree");
    expect(chat.state()?.profile.education).toBe("master");
  });

  it("repairs typos through confusable characters, and never turns 女士 or 护士 into 硕士", async () => {
    const chat = testChat(realDeps());
    await chat.says("北京高工");
    await chat.says("硕土，2019年7月毕页");
    expect(chat.state()?.profile).toMatchObject({ education: "master", graduated: "2019-07" });
    expect(readSpelling("女士您好").text).toBe("女士您好");
    expect(readSpelling("我是护士").text).toBe("我是护士");
  });

  it("asks back when two words fit a typo equally", () => {
    const lexicon = {
      ...LEXICON,
      confusables: new Map([
        ["硕", "搏"],
        ["博", "搏"],
      ]),
    };
    expect(readSpelling("搏士", lexicon).ambiguous).toEqual({ found: "搏士", readings: ["硕士", "博士"] });
  });

  it("asks back a number out of range instead of cutting it", async () => {
    const chat = testChat(realDeps());
    await chat.says("北京高工");
    await chat.says("发表了1234篇论文");
    expect(chat.state()?.profile.achievements).toBeUndefined();
    expect(chat.last()).toMatch(/“1234”作为代表性成果数量不太常见/);
  });

  it("understands 想评职称, and a 不知道 to the level does not loop", async () => {
    const chat = testChat(realDeps());
    await chat.says("北京");
    await chat.says("想评职称");
    expect(chat.last()).not.toMatch(/没理解/);
    expect(chat.last()).toMatch(/哪一级职称/);
    await chat.says("不知道");
    expect(chat.state()?.step).toEqual({ name: "idle" });
    expect(chat.last()).not.toMatch(/您想申报哪一级职称/);
    expect(chat.lastReplies().at(-1)?.choices).toContain("工程师");
    await chat.says("工程师");
    expect(chat.state()?.profile.targetLevel).toBe("engineer");
  });

  it("a 不知道 to the region explains what is held instead of asking again", async () => {
    const chat = testChat(realDeps());
    await chat.says("/check");
    await chat.says("不知道");
    expect(chat.state()?.step).toEqual({ name: "idle" });
    expect(chat.last()).toMatch(/需要先知道地区。目前我只有北京、浙江、四川巴中的文件/);
    expect(chat.last()).not.toMatch(/您在哪个地区申报/);
  });

  it("reads traditional characters as their simplified forms", async () => {
    const chat = testChat(realDeps());
    await chat.says("我能評高級工程師嗎");
    expect(chat.state()?.profile.targetLevel).toBe("senior");
    await chat.says("北京，碩士，軟著兩個");
    expect(chat.state()?.profile).toMatchObject({ region: "beijing", education: "master", achievements: 2 });
  });

  it("takes a subscription request as a command, not as profile facts", async () => {
    const chat = testChat(realDeps());
    await chat.says("订阅巴中工程师的截止提醒");
    expect(chat.state()?.profile).toEqual({});
    expect(chat.last()).toMatch(/订阅截止提醒：.*\/subscribe 地区/);
  });
});

describe("regions", () => {
  it("asks which city for 四川, and applies Bazhong's rules only to Bazhong", async () => {
    const chat = testChat(realDeps());
    await chat.says("四川，想评中级");
    expect(chat.last()).toMatch(/您在四川哪个市？/);
    await chat.says("成都");
    expect(chat.state()?.profile.region).toBeUndefined();
    expect(chat.last()).toMatch(/成都的申报请以当地人社部门文件为准/);
    const bz = testChat(realDeps(), "u2");
    await bz.says("四川，想评中级");
    await bz.says("巴中");
    expect(bz.state()?.profile.region).toBe("sichuan-bazhong");
  });

  it("knows the places of the regions file: 海淀, 中关村, 首都, 巴州区", async () => {
    for (const [place, region] of [
      ["海淀", "beijing"],
      ["中关村", "beijing"],
      ["首都", "beijing"],
      ["巴州区", "sichuan-bazhong"],
    ] as const) {
      const chat = testChat(realDeps(), place);
      await chat.says(`${place}的，想评工程师`);
      expect(chat.state()?.profile.region, place).toBe(region);
    }
  });
});

describe("explanations for the user's own case", () => {
  it("业绩条件是什么 answers for the level and region of the conversation", async () => {
    const senior = testChat(realDeps(), "s");
    await senior.says("北京，想评高工");
    await senior.says("业绩条件是什么");
    expect(cited(senior)[0]?.path).toMatch(/^附件 三、\(二\)/); // 三: 高级工程师
    const engineer = testChat(realDeps(), "e");
    await engineer.says("北京，想评工程师");
    await engineer.says("业绩条件是什么");
    expect(cited(engineer)[0]?.path).toMatch(/^附件 二、\(二\)/); // 二: 工程师
  });

  it("不知道 to a required fact says which conditions it decides, and the verdict comes without asking again", async () => {
    const chat = testChat(realDeps());
    await chat.says(
      "北京，博士，2019年7月毕业，一直做AI，民企，没有职称，没有奖，论文3篇，继续教育都登记了，能评高工吗",
    );
    expect(chat.state()?.step).toEqual({ name: "asking", field: "performanceMet" });
    await chat.says("不知道");
    expect(chat.last()).toMatch(/“业绩条件”决定以下条件是否满足：“取得中级职称以来，具备下列业绩条件之一/);
    expect(chat.last()).toMatch(/结论：尚无法确定/);
  });

  it("a permanent exclusion says 不符合 and why, with no 暂 and no advice to prepare", async () => {
    // Beijing's measures neither name nor exclude 参公 units (its rules say unknown); Bazhong's notice excludes them.
    for (const [opening, said, name, scope] of [
      ["北京，公务员，能评高工吗", "公务员", "公务员", "北京 高级工程师"],
      ["巴中，参公单位，能评工程师吗", "参公", "参照公务员法管理单位", "四川巴中 工程师"],
      ["北京，已退休，能评高工吗", "退休", "已退休", "北京 高级工程师"],
    ] as const) {
      const chat = testChat(realDeps(), said);
      await chat.says(opening);
      expect(chat.last(), said).toContain(`结论：不符合${scope}申报条件`);
      expect(chat.last(), said).toContain(`原因：单位性质为“${name}”`);
      expect(chat.last(), said).not.toMatch(/暂不符合|下一步/);
    }
  });
});
