// The scripted applicants: who they are and what they know, shared by the dialog test, the system tests
// and bench/chat.ts.
import { profileForEngine } from "../../../src/dialogs/advance-form.ts";
import type { DraftProfile } from "../../../src/dialogs/types.ts";
import type { Profile, ProfileField } from "../../../src/shared/profile.ts";
import type { EligibilityReport } from "../../../src/shared/report.ts";
import { answer, seededRandom, type Applicant } from "./applicant.ts";

export const APPLICANTS: Applicant[] = [
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

/** The verdict line of each engine verdict, as the dialog words it. */
// "结论：暂不符合…" for what may change, "结论：不符合…" for a permanent exclusion (公务员, 参公, 退休).
export const VERDICT_TEXT = {
  eligible: "结论：符合",
  ineligible: "不符合",
  undetermined: "结论：尚无法确定",
} as const;

/** The facts the applicant can tell (those they do not know left out). */
export function knownFacts(a: Applicant): DraftProfile {
  return Object.fromEntries(
    Object.entries(a.facts).filter(([k]) => !a.doesNotKnow?.includes(k as ProfileField)),
  );
}

/** The verdict the engine gives on everything the applicant can tell. */
export function expectedVerdict(
  assess: (profile: Profile, asOf: string) => EligibilityReport,
  a: Applicant,
  asOf: string,
): EligibilityReport["verdict"] {
  const profile = profileForEngine(knownFacts(a));
  if (!profile) throw new Error(`${a.name}: no region or level`);
  return assess(profile, asOf).verdict;
}

/**
 * Drives one applicant to a verdict: the opening (unless `opened`), then an answer to the last question of
 * every turn, worded at random from the applicant's facts. Throws after `maxTurns` without a verdict.
 */
export async function converse(
  says: (text: string) => Promise<string>,
  a: Applicant,
  seed: number,
  options: { maxTurns?: number; firstReply?: string } = {},
): Promise<{ turns: number; last: string; transcript: string[] }> {
  const rnd = seededRandom(seed);
  const transcript: string[] = [];
  const say = async (text: string) => {
    const reply = await says(text);
    transcript.push(`> ${text}`, reply);
    return reply;
  };
  let turns = 0;
  let last = options.firstReply ?? (turns++, await say(a.opening));
  while (!last.includes("结论：")) {
    if (turns >= (options.maxTurns ?? 20))
      throw new Error(`${a.name}: no verdict after ${turns} turns:\n${transcript.join("\n")}`);
    const question = last.split("\n").at(-1) ?? "";
    last = await say(answer(a, question, rnd));
    turns++;
  }
  return { turns, last, transcript };
}
