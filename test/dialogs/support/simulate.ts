// Simulated applicants in three styles: terse (short answers), chatty (full sentences), and unprompted (facts out of
// order: an opening that tells several, and answers that add one more nobody asked for). Each must reach the verdict
// the engine gives on what the applicant can tell, with every recorded fact right. Shared by the test and the bench.
import type { ProfileField } from "../../../src/shared/profile.ts";
import type { Verdict } from "../../../src/shared/report.ts";
import { answer, seededRandom, topicOf, type Applicant } from "./applicant.ts";
import { APPLICANTS, expectedVerdict, knownFacts } from "./applicants.ts";
import { MORE_APPLICANTS } from "./more-applicants.ts";
import { realDeps } from "./real-deps.ts";
import { testChat } from "./test-chat.ts";

export const STYLES = ["terse", "chatty", "unprompted"] as const;
export type Style = (typeof STYLES)[number];

/** Every simulated applicant. */
export const SIMULATED: Applicant[] = [...APPLICANTS, ...MORE_APPLICANTS];

const MAX_TURNS = 20;
const AS_OF = "2024-08-15";

const REGION_SENTENCE: Record<string, string> = {
  beijing: "我在北京海淀上班",
  zhejiang: "我人在杭州",
  "sichuan-bazhong": "我是四川巴中的",
};
const LEVEL: Record<string, string> = {
  none: "无职称",
  technician: "技术员",
  assistant: "助理工程师",
  engineer: "中级工程师",
  senior: "高级工程师",
  professor: "正高级工程师",
};
const EDUCATION: Record<string, string> = {
  "secondary-vocational": "中专",
  "junior-college": "大专",
  bachelor: "本科",
  "second-bachelor": "第二学士学位",
  master: "硕士研究生",
  doctorate: "博士研究生",
};
const EMPLOYER: Record<string, string> = {
  "state-owned": "我们单位是国企",
  "public-institution": "我在事业单位工作",
  private: "我在一家民营企业",
  "social-organization": "我们单位是社会组织",
  freelancer: "我现在是自由职业",
  "civil-servant": "我是公务员",
  "civil-servant-managed": "我们单位是参照公务员法管理的",
  retired: "我已经退休了",
};
const AWARD: Record<string, string> = {
  "provincial-sci-tech-award": "省部级科技进步奖",
  "china-patent-gold": "中国专利金奖",
  "china-patent-silver": "中国专利银奖",
  "national-standard": "国家标准",
  "industry-standard": "行业标准",
  "local-standard": "地方标准",
};

const ymText = (ym: string) => `${ym.slice(0, 4)}年${Number(ym.slice(5))}月`;

/** A full sentence telling one field, as a chatty applicant would; undefined when the applicant cannot tell it. */
export function sentenceFor(a: Applicant, field: ProfileField): string | undefined {
  if (a.doesNotKnow?.includes(field)) return undefined;
  const f = a.facts;
  switch (field) {
    case "region":
      return f.region && REGION_SENTENCE[f.region];
    case "targetLevel":
      return f.targetLevel && `我想申报${LEVEL[f.targetLevel]}`;
    case "education":
      return f.education && `我的学历是${EDUCATION[f.education]}`;
    case "graduated":
      return f.graduated && `我是${ymText(f.graduated)}毕业的`;
    case "specialtyWorkSince":
      if (!f.specialtyWorkSince) return undefined;
      return f.specialtyWorkSince === f.graduated
        ? "毕业以后一直在做人工智能相关的工作"
        : `我从${ymText(f.specialtyWorkSince)}开始做这一行`;
    case "currentTitle": {
      const t = f.currentTitle;
      if (!t) return undefined;
      if (t.level === "none") return "我目前还没有职称";
      const series = t.series === "other" ? "其他系列" : "本系列";
      return `我现在是${series}的${LEVEL[t.level]}${t.obtained ? `，${ymText(t.obtained)}评上的` : ""}`;
    }
    case "employerType":
      return f.employerType && EMPLOYER[f.employerType];
    case "awards":
      if (!f.awards) return undefined;
      if (f.awards.length === 0) return "没有获过奖，也没参与过标准制定";
      return f.awards.map((x) => `我拿过${AWARD[x.kind]}，排名第${x.rank}`).join("，");
    case "achievements":
      if (f.achievements === undefined) return undefined;
      return f.achievements === 0 ? "目前还没有成果" : `这几年我发表了${f.achievements}篇论文`;
    case "performanceMet":
      if (f.performanceMet === undefined) return undefined;
      return f.performanceMet ? "我们做的项目业绩条件是够的" : "业绩方面还不太够";
    case "continuingEducationMet":
      if (f.continuingEducationMet === undefined) return undefined;
      return f.continuingEducationMet ? "继续教育学时都登记了" : "继续教育还没修完";
    case "otherApplicationThisYear":
      if (f.otherApplicationThisYear === undefined) return undefined;
      return f.otherApplicationThisYear ? "今年同时报了其他系列" : "今年没有申报其他系列";
    case "firstApplication":
      if (f.firstApplication === undefined) return undefined;
      return f.firstApplication ? "这是我第一次申报职称" : "之前已经报过一次了";
    case "selfScore":
      return f.selfScore === undefined ? undefined : `我自评了${f.selfScore}分`;
  }
}

const FIELD_OF_TOPIC: Record<string, ProfileField> = {
  titleObtained: "currentTitle",
  titleSeries: "currentTitle",
  postgraduate: "education",
};

/** A chatty answer to the assistant's question: a full sentence, or "not sure" in words. */
function chattyAnswer(a: Applicant, question: string, rnd: () => number): string {
  const topic = topicOf(question);
  if (!topic) throw new Error(`${a.name}: cannot tell what is asked: ${question}`);
  const field = (FIELD_OF_TOPIC[topic] ?? topic) as ProfileField;
  if (a.doesNotKnow?.includes(field)) return "这个我还真不太清楚，得问问单位人事";
  const t = a.facts.currentTitle;
  if (topic === "titleObtained" && t?.obtained) return `是${ymText(t.obtained)}评上的`;
  if (topic === "titleSeries") return t?.series === "other" ? "是其他系列的" : "是本系列的";
  const said = ["month", "rank", "postgraduate"].includes(topic) ? undefined : sentenceFor(a, field);
  return said ?? answer(a, question, rnd);
}

/** The fields an applicant can tell, in a scrambled order (employer and dates before region and level). */
function unpromptedOrder(a: Applicant): ProfileField[] {
  const order: ProfileField[] = [
    "employerType",
    "graduated",
    "education",
    "continuingEducationMet",
    "region",
    "currentTitle",
    "specialtyWorkSince",
    "performanceMet",
    "targetLevel",
    "awards",
    "achievements",
    "selfScore",
    "otherApplicationThisYear",
    "firstApplication",
  ];
  return order.filter((f) => sentenceFor(a, f) !== undefined);
}

export interface SimulationRun {
  applicant: string;
  style: Style;
  turns: number;
  expected: Verdict;
  rightVerdict: boolean;
  /** Recorded facts that differ from the applicant's, as "field: recorded ≠ told". */
  wrongFacts: string[];
  transcript: string[];
}

/** One applicant's conversation in one style, to a verdict or MAX_TURNS. */
export async function simulate(a: Applicant, style: Style, seed = 1): Promise<SimulationRun> {
  const deps = realDeps();
  const rnd = seededRandom(seed);
  const chat = testChat(deps);
  const queue = unpromptedOrder(a);
  const told = new Set<ProfileField>();
  const tell = (n: number) => {
    const said: string[] = [];
    while (said.length < n && queue.length > 0) {
      const f = queue.shift() as ProfileField;
      if (told.has(f)) continue;
      told.add(f);
      said.push(sentenceFor(a, f) ?? "");
    }
    return said;
  };
  if (style === "unprompted") await chat.says(["您好", ...tell(4), "帮我看看能不能评"].join("，"));
  else if (style === "chatty") await chat.says(`您好，想咨询一下，${a.opening}`);
  else await chat.says(a.opening);
  while (!/结论：/.test(chat.last()) && chat.turns() < MAX_TURNS) {
    const question = chat.last().split("\n").at(-1) ?? "";
    const topic = topicOf(question);
    if (topic) told.add((FIELD_OF_TOPIC[topic] ?? topic) as ProfileField);
    let reply: string;
    if (style === "terse") reply = answer(a, question, rnd);
    else if (style === "chatty") reply = chattyAnswer(a, question, rnd);
    else reply = [answer(a, question, rnd), ...tell(1)].join("，");
    await chat.says(reply);
  }
  const expected = expectedVerdict((p, asOf) => deps.assess(p, asOf), a, AS_OF);
  const last = chat.last();
  const rightVerdict =
    expected === "eligible"
      ? last.includes("结论：符合")
      : expected === "ineligible"
        ? /结论：(?:暂)?不符合/.test(last)
        : last.includes("结论：尚无法确定");
  const known = knownFacts(a) as Record<string, unknown>;
  // A title may be recorded without the parts the verdict did not need (its series, its date).
  const agrees = (k: string, v: unknown) =>
    k === "currentTitle" && typeof v === "object" && v !== null && typeof known[k] === "object"
      ? Object.entries(v).every(([part, x]) => (known[k] as Record<string, unknown>)[part] === x)
      : JSON.stringify(v) === JSON.stringify(known[k]);
  const wrongFacts = Object.entries(chat.state()?.profile ?? {})
    .filter(([k, v]) => !agrees(k, v))
    .map(([k, v]) => `${k}: ${JSON.stringify(v)} ≠ ${JSON.stringify(known[k])}`);
  return {
    applicant: a.name,
    style,
    turns: chat.turns(),
    expected,
    rightVerdict,
    wrongFacts,
    transcript: chat.transcript(),
  };
}

/** Every applicant in every style. */
export async function simulateAll(): Promise<SimulationRun[]> {
  const runs: SimulationRun[] = [];
  for (const a of SIMULATED) for (const style of STYLES) runs.push(await simulate(a, style));
  return runs;
}
