// A simulated applicant: has their own facts and answers whatever the assistant asks, in varied wording.
import type { DraftProfile } from "../../../src/dialogs/types.ts";
import type { ProfileField } from "../../../src/shared/profile.ts";

export interface Applicant {
  name: string;
  facts: DraftProfile;
  /** Fields this applicant answers "不知道" to. */
  doesNotKnow?: ProfileField[];
  /** The opening message. */
  opening: string;
}

/** A small seeded generator (mulberry32), so every run words the answers the same way. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const CN = ["零", "一", "二", "三", "四", "五", "六", "七", "八", "九", "十", "十一", "十二"];

function dateWordings(ym: string): string[] {
  const [y, m] = ym.split("-").map(Number) as [number, number];
  const cnYear = String(y)
    .split("")
    .map((d) => (d === "0" ? "〇" : CN[Number(d)]))
    .join("");
  return [
    `${y}年${m}月`,
    `${String(y).slice(2)}年${m}月`,
    `${y}.${m}`,
    ym,
    `${cnYear}年${CN[m]}月`,
    `${y}/${m}`,
  ];
}

const WORDS = {
  region: <Record<string, string[]>>{
    beijing: ["北京", "在北京", "北京市"],
    zhejiang: ["浙江", "杭州", "我在宁波"],
    "sichuan-bazhong": ["巴中", "四川巴中", "巴中市的"],
  },
  targetLevel: {
    technician: ["技术员"],
    assistant: ["助工", "助理工程师", "初级"],
    engineer: ["中级", "工程师", "想评中级"],
    senior: ["高工", "副高", "高级工程师"],
    professor: ["正高", "教授级高工", "正高级工程师"],
  },
  education: {
    "secondary-vocational": ["中专"],
    "junior-college": ["大专", "专科"],
    bachelor: ["本科", "大学本科", "学士"],
    "second-bachelor": ["第二学士", "双学士"],
    master: ["硕士", "硕士研究生", "研究生，硕士"],
    doctorate: ["博士", "博士研究生"],
  },
  employerType: {
    "state-owned": ["国企", "央企", "国有企业"],
    "public-institution": ["事业单位", "事业编"],
    private: ["民企", "私企", "民营企业", "外企"],
    "social-organization": ["社会组织", "行业协会"],
    freelancer: ["自由职业"],
    "civil-servant": ["公务员"],
    "civil-servant-managed": ["参公", "参公单位"],
    retired: ["退休了", "已退休"],
  },
  yes: ["是", "是的", "对", "满足", "有的"],
  no: ["没有", "否", "不是"],
  unknown: ["不知道", "不清楚", "不确定"],
};

const LEVEL_WORD = {
  none: "无职称",
  technician: "技术员",
  assistant: "助理工程师",
  engineer: "中级",
  senior: "副高",
  professor: "正高",
};

// What each question of the assistant asks for, by its wording (compiled once: the bench asks thousands a second).
const TOPICS: Array<[RegExp, string]> = [
  [/硕士还是博士/, "postgraduate"],
  [/年几月/, "month"],
  [/排名第几/, "rank"],
  [/在哪个地区/, "region"],
  [/哪一级/, "targetLevel"],
  [/最高学历/, "education"],
  [/毕业的/, "graduated"],
  [/从事.*专业工作/, "specialtyWorkSince"],
  [/是哪年哪月取得的/, "titleObtained"],
  [/本系列（同专业）还是/, "titleSeries"],
  [/代表性成果/, "achievements"],
  [/现在的职称/, "currentTitle"],
  [/单位.*性质/, "employerType"],
  [/奖/, "awards"],
  [/业绩条件/, "performanceMet"],
  [/自评分/, "selfScore"],
  [/继续教育/, "continuingEducationMet"],
  [/其他系列的职称/, "otherApplicationThisYear"],
  [/第一次申报/, "firstApplication"],
];

/** The topic of the assistant's question, read from its words as a person would. */
export function topicOf(question: string): string | undefined {
  return TOPICS.find(([re]) => re.test(question))?.[1];
}

const FIELD_OF_TOPIC: Record<string, ProfileField> = {
  titleObtained: "currentTitle",
  titleSeries: "currentTitle",
  postgraduate: "education",
};

/** The applicant's answer to a question, worded at random from their own facts. */
export function answer(a: Applicant, question: string, rnd: () => number): string {
  const pick = (xs: readonly string[]): string => xs[Math.floor(rnd() * xs.length)] ?? xs[0] ?? "";
  const f = a.facts;
  const topic = topicOf(question);
  if (!topic) throw new Error(`${a.name}: cannot tell what is asked: ${question}`);
  const field = (FIELD_OF_TOPIC[topic] ?? topic) as ProfileField;
  if (a.doesNotKnow?.includes(field)) return pick(WORDS.unknown);
  switch (topic) {
    case "postgraduate":
      return f.education === "doctorate" ? "博士" : "硕士";
    case "month": {
      const year = /(\d{4})年几月/.exec(question)?.[1] ?? "";
      const date = [f.graduated, f.specialtyWorkSince, f.currentTitle?.obtained].find((d) =>
        d?.startsWith(year),
      );
      return date ? `${Number(date.slice(5))}月` : pick(WORDS.unknown);
    }
    case "rank":
      return `第${f.awards?.[0]?.rank ?? 1}`;
    case "region":
      return f.region ? pick(WORDS.region[f.region] ?? [f.region]) : pick(WORDS.unknown);
    case "targetLevel":
      return f.targetLevel ? pick(WORDS.targetLevel[f.targetLevel]) : pick(WORDS.unknown);
    case "education":
      return f.education ? pick(WORDS.education[f.education]) : pick(WORDS.unknown);
    case "graduated":
      return f.graduated ? pick(dateWordings(f.graduated)) : pick(WORDS.unknown);
    case "specialtyWorkSince":
      if (!f.specialtyWorkSince) return pick(WORDS.unknown);
      if (f.specialtyWorkSince === f.graduated) return pick(["毕业后一直做", "一直做AI", "毕业就从事大数据"]);
      return pick(dateWordings(f.specialtyWorkSince).map((d) => `${d}开始`));
    case "titleObtained":
      return f.currentTitle?.obtained ? pick(dateWordings(f.currentTitle.obtained)) : pick(WORDS.unknown);
    case "titleSeries":
      return f.currentTitle?.series === "other" ? pick(["其他系列", "非本专业"]) : pick(["本系列", "同专业"]);
    case "currentTitle": {
      const t = f.currentTitle;
      if (!t) return pick(WORDS.unknown);
      if (t.level === "none") return pick(["无职称", "没有职称", "没有"]);
      const series = t.series === "other" ? "其他系列" : "本系列";
      const date = t.obtained ? pick(dateWordings(t.obtained)) : "";
      return pick([
        `${date}取得${series}${LEVEL_WORD[t.level]}`,
        `${LEVEL_WORD[t.level]}，${series}，${date}拿到的`,
      ]);
    }
    case "employerType":
      return f.employerType ? pick(WORDS.employerType[f.employerType]) : pick(WORDS.unknown);
    case "awards":
      return f.awards && f.awards.length === 0 ? pick(["没有", "无", "没有的"]) : pick(WORDS.unknown);
    case "achievements":
      return f.achievements === undefined
        ? pick(WORDS.unknown)
        : f.achievements === 0
          ? "没有"
          : pick([
              `论文${f.achievements}篇`,
              `${f.achievements}项`,
              `${CN[f.achievements] ?? f.achievements}篇`,
            ]);
    case "selfScore":
      return f.selfScore === undefined
        ? pick(WORDS.unknown)
        : pick([`${f.selfScore}分`, `自评${f.selfScore}分`, `${f.selfScore}`]);
    default: {
      const v = f[field];
      return typeof v === "boolean" ? pick(v ? WORDS.yes : WORDS.no) : pick(WORDS.unknown);
    }
  }
}
