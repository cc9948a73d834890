// Scripted applicants answer whatever is asked from their own facts, in varied wording, and must reach
// the verdict the engine gives on their whole profile (facts they do not know left out). Turns are counted.
import { afterAll, describe, expect, it } from "vitest";
import { profileForEngine } from "../../src/dialogs/advance-form.ts";
import { answer, seededRandom, type Applicant } from "./support/applicant.ts";
import { realDeps } from "./support/real-deps.ts";
import { testChat } from "./support/test-chat.ts";

const deps = realDeps();
const ASOF = "2024-08-15";
const VERDICT_TEXT = {
  eligible: "结论：符合",
  ineligible: "结论：暂不符合",
  undetermined: "结论：尚无法确定",
};

const APPLICANTS: Applicant[] = [
  {
    name: "北京硕士AI工程师",
    opening: "北京，硕士，2015年7月毕业，一直做AI，能评高工吗",
    facts: {
      region: "beijing",
      targetLevel: "senior",
      education: "master",
      graduated: "2015-07",
      specialtyWorkSince: "2015-07",
      currentTitle: { level: "engineer", series: "same", obtained: "2018-07" },
      employerType: "private",
      awards: [],
      achievements: 4,
      performanceMet: true,
      continuingEducationMet: true,
    },
  },
  {
    name: "北京本科想评中级",
    opening: "我想评中级",
    facts: {
      region: "beijing",
      targetLevel: "engineer",
      education: "bachelor",
      graduated: "2017-06",
      specialtyWorkSince: "2017-06",
      currentTitle: { level: "none" },
      employerType: "state-owned",
      awards: [],
      achievements: 2,
      performanceMet: true,
      continuingEducationMet: true,
    },
  },
  {
    name: "北京退休返聘",
    opening: "能评高工吗",
    facts: {
      region: "beijing",
      targetLevel: "senior",
      employerType: "retired",
      education: "master",
      graduated: "2000-07",
    },
  },
  {
    name: "北京不清楚业绩",
    opening: "北京的，想问能不能评副高",
    doesNotKnow: ["performanceMet"],
    facts: {
      region: "beijing",
      targetLevel: "senior",
      education: "doctorate",
      graduated: "2019-07",
      specialtyWorkSince: "2019-07",
      currentTitle: { level: "none" },
      employerType: "public-institution",
      awards: [],
      achievements: 3,
      continuingEducationMet: true,
    },
  },
  {
    name: "杭州国企高工",
    opening: "杭州，国企，想评高工",
    facts: {
      region: "zhejiang",
      targetLevel: "senior",
      employerType: "state-owned",
      continuingEducationMet: true,
      selfScore: 92,
    },
  },
  {
    name: "宁波公务员",
    opening: "宁波的能评高级工程师吗",
    facts: {
      region: "zhejiang",
      targetLevel: "senior",
      employerType: "civil-servant",
      continuingEducationMet: true,
    },
  },
  {
    name: "浙江正高",
    opening: "浙江正高",
    facts: {
      region: "zhejiang",
      targetLevel: "professor",
      employerType: "private",
      continuingEducationMet: true,
    },
  },
  {
    name: "巴中事业单位工程师",
    opening: "巴中，能评工程师吗",
    facts: {
      region: "sichuan-bazhong",
      targetLevel: "engineer",
      employerType: "public-institution",
      otherApplicationThisYear: false,
      education: "bachelor",
      graduated: "2016-06",
      specialtyWorkSince: "2016-06",
      firstApplication: true,
    },
  },
  {
    name: "巴中另报其他系列",
    opening: "四川巴中的，中级",
    facts: {
      region: "sichuan-bazhong",
      targetLevel: "engineer",
      employerType: "private",
      otherApplicationThisYear: true,
    },
  },
];

const counts: string[] = [];
afterAll(() => console.log(`turns to a verdict:\n${counts.join("\n")}`));

describe("simulated applicants", () => {
  it.each(APPLICANTS.flatMap((a) => [1, 2, 3].map((seed) => [a.name, seed, a] as const)))(
    "%s (wording seed %d) reaches the engine's verdict",
    async (_name, seed, a) => {
      const rnd = seededRandom(seed);
      const chat = testChat(deps);
      await chat.says(a.opening);
      while (!/结论：/.test(chat.last())) {
        if (chat.turns() >= 20)
          throw new Error(`no verdict after 20 turns:\n${chat.transcript().join("\n")}`);
        await chat.says(answer(a, chat.last().split("\n").at(-1) ?? "", rnd));
      }
      const known = Object.fromEntries(
        Object.entries(a.facts).filter(([k]) => !a.doesNotKnow?.includes(k as never)),
      );
      const profile = profileForEngine(known);
      if (!profile) throw new Error("applicant without region or level");
      const expected = deps.assess(profile, ASOF).verdict;
      expect(chat.last(), chat.transcript().join("\n")).toContain(VERDICT_TEXT[expected]);
      // What the dialog recorded agrees with the applicant's facts.
      for (const [k, v] of Object.entries(chat.state()?.profile ?? {})) {
        expect(v, `${k}\n${chat.transcript().join("\n")}`).toEqual((a.facts as Record<string, unknown>)[k]);
      }
      counts.push(`${a.name} seed ${seed}: ${chat.turns()} turns (${expected})`);
      expect(chat.turns()).toBeLessThanOrEqual(12);
    },
  );
});
