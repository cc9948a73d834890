// Every Chinese sentence the dialog shows the user: one catalogue, functions for parametrised text.
import { LEVEL_NAMES, LEVELS, type Level, type Region } from "../shared/domain.ts";
import { loadRegions, regionLabel, regionLabels } from "../shared/regions.ts";
import type { Award, CurrentTitle, Education, EmployerType, ProfileField } from "../shared/profile.ts";

export const EDUCATION_NAMES: Record<Education, string> = {
  "secondary-vocational": "中专",
  "junior-college": "大专",
  bachelor: "本科",
  "second-bachelor": "第二学士",
  master: "硕士",
  doctorate: "博士",
};

export const EMPLOYER_NAMES: Record<EmployerType, string> = {
  "state-owned": "国有企业",
  "public-institution": "事业单位",
  private: "民营/外资等非公企业",
  "social-organization": "社会组织",
  freelancer: "自由职业",
  "civil-servant": "公务员",
  "civil-servant-managed": "参照公务员法管理单位",
  retired: "已退休",
};

export const AWARD_NAMES: Record<Award["kind"], string> = {
  "provincial-sci-tech-award": "省部级科技奖",
  "china-patent-gold": "中国专利金奖",
  "china-patent-silver": "中国专利银奖",
  "national-standard": "国家标准",
  "industry-standard": "行业标准",
  "local-standard": "地方标准",
};

/** Short names of the profile fields, for "已记录" lines and "改一下…" prompts. */
export const FIELD_NAMES: Record<ProfileField, string> = {
  region: "地区",
  targetLevel: "申报级别",
  education: "学历",
  graduated: "毕业时间",
  specialtyWorkSince: "从事本专业起始时间",
  currentTitle: "现有职称",
  employerType: "单位性质",
  awards: "奖项与标准",
  achievements: "代表性成果数量",
  performanceMet: "业绩条件",
  selfScore: "自评分",
  continuingEducationMet: "继续教育",
  otherApplicationThisYear: "今年另报其他职称",
  firstApplication: "首次申报",
};

const yesNo = (b: boolean) => (b ? "是" : "否");

function titleText(t: CurrentTitle): string {
  if (t.level === "none") return "无职称";
  const parts = [
    t.series === "same" ? "本系列" : t.series === "other" ? "其他系列" : undefined,
    t.obtained && `${t.obtained} 取得`,
  ];
  const extra = parts.filter(Boolean).join("，");
  return `${LEVEL_NAMES[t.level]}${extra ? `（${extra}）` : ""}`;
}

// Region names in examples come from knowledge/regions.json, so adding a region changes no text here.
const FIRST_REGION = loadRegions().regions[0]?.name ?? "";
const list = (xs: readonly string[]) => xs.join("、");

/** One recorded fact as the user reads it back ("硕士", "2019-07 毕业"). */
export const fact = {
  region: (r: Region, label: string = regionLabel(r)) => `地区 ${label}`,
  targetLevel: (l: Level) => `申报 ${LEVEL_NAMES[l]}`,
  education: (e: Education) => EDUCATION_NAMES[e],
  graduated: (ym: string) => `${ym} 毕业`,
  specialtyWorkSince: (ym: string) => `${ym} 起从事本专业`,
  currentTitle: (t: CurrentTitle) => `现有职称 ${titleText(t)}`,
  employerType: (e: EmployerType) => `单位 ${EMPLOYER_NAMES[e]}`,
  awards: (a: Award[]) =>
    a.length === 0 ? "无相关奖项/标准" : a.map((x) => `${AWARD_NAMES[x.kind]} 排名第${x.rank}`).join("、"),
  achievements: (n: number) => `代表性成果 ${n} 项`,
  performanceMet: (b: boolean) => `业绩条件 ${b ? "满足" : "不满足"}`,
  selfScore: (n: number) => `自评分 ${n}`,
  continuingEducationMet: (b: boolean) => `继续教育 ${b ? "已完成" : "未完成"}`,
  otherApplicationThisYear: (b: boolean) => `今年另报其他职称：${yesNo(b)}`,
  firstApplication: (b: boolean) => `首次申报：${yesNo(b)}`,
  unknown: (field: string) => `${field} 暂不清楚`,
  sinceGraduation: "毕业后一直从事本专业",
};

/** The region question for the regions held (their labels, e.g. 四川巴中). */
export function askRegion(labels: readonly string[]): string {
  return `您在哪个地区申报？目前我只有${list(labels)}的文件。`;
}

/** The question for each field, and its quick replies. */
export const QUESTIONS: Record<ProfileField, { text: string; choices?: string[] }> = {
  region: { text: askRegion(regionLabels()), choices: regionLabels() },
  targetLevel: {
    text: "您想申报哪一级职称？",
    choices: ["技术员", "助理工程师", "工程师", "高级工程师", "正高级工程师"],
  },
  education: { text: "您的最高学历是？", choices: ["中专", "大专", "本科", "第二学士", "硕士", "博士"] },
  graduated: { text: "您是哪年哪月取得该学历毕业的？（如：2019年7月）", choices: ["不知道"] },
  specialtyWorkSince: {
    text: "您从哪年哪月开始从事人工智能/大数据专业工作？（如：2019年7月、毕业后一直做、做了5年）",
    choices: ["毕业后一直做", "不知道"],
  },
  currentTitle: {
    text: "您现在的职称是什么、哪年取得、是否本系列？（如：2020年取得本系列中级；没有请回复“无职称”）",
    choices: ["无职称", "助理工程师", "工程师", "高级工程师"],
  },
  employerType: {
    text: "您所在单位是什么性质？",
    choices: ["国企", "事业单位", "民营/外资企业", "社会组织", "自由职业", "公务员", "参公单位", "已退休"],
  },
  awards: {
    text: "您是否获得过省部级科技奖、中国专利金奖/银奖，或参与制定国家/行业/地方标准？有请写明名称和排名（如：省部级科技奖排名第2），没有请回复“没有”。",
    choices: ["没有", "不知道"],
  },
  achievements: {
    text: "取得现职称以来，您有多少项代表性成果（论文、专利、研究报告、标准、著作等）？（如：论文2篇、专利1项）",
    choices: ["没有", "不知道"],
  },
  performanceMet: {
    text: "您是否满足所申报级别的业绩条件之一（以文件所列条件为准，可回复“业绩条件是什么”查看）？",
    choices: ["是", "否", "不知道"],
  },
  selfScore: { text: "按您所在地区文件的量化评价标准，您的自评分是多少？（如：85）", choices: ["不知道"] },
  continuingEducationMet: { text: "您的继续教育学时是否已按要求登记完成？", choices: ["是", "否", "不知道"] },
  otherApplicationThisYear: { text: "今年您是否已在本省申报其他系列的职称？", choices: ["是", "否"] },
  firstApplication: { text: "这是您第一次申报职称吗？", choices: ["是", "否"] },
};

export const ZH = {
  welcome: `您好，我是职称助手，可以帮您：\n1. 评估能否申报（如：${FIRST_REGION}，硕士，2019年7月毕业，一直做AI，能评高工吗）\n2. 回答政策问题（如：公示几天？）\n3. 查条款（/clause 继续教育）\n4. 查时间节点（/deadlines）\n随时发送 /reset 重新开始，/forget 删除我记下的信息。`,
  help: `可用命令：\n/check 评估申报资格\n/ask 问题 —— 政策问答\n/clause 关键词 —— 查条款原文\n/deadlines —— 近期时间节点\n/reset 重新开始\n/forget 删除我记下的全部信息\n也可以直接用中文说，比如“${FIRST_REGION}本科做了8年能评高工吗”。`,
  privacy: (days: number) =>
    `提示：为继续对话，我会保存您提供的申报信息（地区、学历、职称等），${days} 天未使用自动删除；发送 /forget 可立即删除。`,
  recorded: (items: string[]) => `已记录：${items.join("，")}`,
  empty: "没有收到内容。请用文字描述您的问题，例如“能评高工吗”，或发送 /help 查看用法。",
  unreadable: `没看懂这条消息（只有符号或表情）。请用文字描述，例如“${FIRST_REGION}，本科，能评工程师吗”，或发送 /help。`,
  truncated: (max: number) => `消息较长，我只读了前 ${max} 个字。`,
  notUnderstood: "抱歉，没理解这个回答。",
  notUnderstoodIdle:
    "抱歉，没理解您的意思。可以直接问政策问题，或说“能评高工吗”开始评估；发送 /help 查看用法。",
  unsupportedRegion: (place: string, labels: readonly string[] = regionLabels()) =>
    `暂时只有${list(labels)}的职称文件，${place}的申报请以当地人社部门文件为准。`,
  askWithin: (province: string, names: readonly string[]) =>
    `您在${province}哪个市？目前${province}我只有${list(names)}的文件。`,
  otherCity: "其他市",
  whichReading: (found: string, readings: readonly string[]) =>
    `“${found}”是指${readings.map((r) => `“${r}”`).join("还是")}？`,
  outOfRange: (what: string, value: number) =>
    `“${value}”作为${what}不太常见，我先不记录。请再确认一下${what}。`,
  rangeWhat: {
    achievements: "代表性成果数量",
    awards: "排名",
    selfScore: "自评分",
    specialtyWorkSince: "从业年数",
  },
  regionUnknown: (labels: readonly string[]) =>
    `评估要对照当地文件，需要先知道地区。目前我只有${list(labels)}的文件；不在这些地区的话，请以当地人社部门文件为准。也可以直接问政策问题。`,
  levelUnknown:
    "评估要先选定一个申报级别（可以先选一级试试，之后说“改一下申报级别”即可换）。也可以直接问政策问题，例如“工程师需要什么条件”。",
  levelChoices: LEVELS.map((l) => LEVEL_NAMES[l]),
  unknownMatters: (field: string, criteria: readonly string[]) =>
    criteria.length > 0
      ? `“${field}”决定以下条件是否满足：${criteria.map((c) => `“${c}”`).join("；")}。不清楚也没关系，这一项先标为“？”，我按其他信息给出结论；弄清后告诉我即可更新。`
      : `“${field}”会影响结论。不清楚也没关系，这一项先标为“？”，我按其他信息给出结论；弄清后告诉我即可更新。`,
  subscribeLater:
    "订阅截止提醒：在 Telegram、钉钉或企业微信里发送“/subscribe 地区 [级别]”，例如“/subscribe 巴中 工程师”；网页和公众号可下载日历文件（iCalendar）。发送 /deadlines 可查看近期时间节点。",
  excluded: (employer: string) =>
    `原因：单位性质为“${employer}”，不在文件规定的申报范围内（见下方标 ✗ 的条款）；这不是等待或补材料能改变的。`,
  askPostgraduate: "“研究生”是指硕士还是博士？",
  askMonth: (year: number) => `请补充月份：${year}年几月？`,
  askRank: (what: string) => `您在“${what}”中排名第几？`,
  askTitleObtained: (level: string) => `您的${level}是哪年哪月取得的？`,
  askTitleSeries: (level: string) => `您的${level}是本系列（同专业）还是其他系列？`,
  askTitleLevel: "您现在的职称是什么级别？",
  resumeForm: "回到刚才的问题：",
  reaskField: (field: string) => `好的，重新填写${field}。`,
  reset: "已清空本次填写的信息，我们重新开始。想评估申报资格，请告诉我地区和想申报的级别。",
  forgotten: "已删除我为您保存的全部信息。",
  nothingToForget: "已确认：我没有为您保存任何信息。",
  verdictLine: {
    eligible: (where: string) => `结论：符合${where}申报条件。`,
    ineligible: (where: string) => `结论：暂不符合${where}申报条件。`,
    excluded: (where: string) => `结论：不符合${where}申报条件。`,
    undetermined: (where: string) => `结论：尚无法确定能否申报${where}。`,
  },
  criterionMark: { met: "✓", unmet: "✗", unknown: "？" },
  moreCriteria: (n: number) => `……另有 ${n} 项，回复“详细”查看。`,
  earliestEligible: (ym: string) => `最早可申报：${ym}`,
  nextDeadlines: "近期节点：",
  noDeadlines: "近期节点：文件中暂无今天以后的时间节点。",
  deadlineItem: (date: string, time: string | undefined, what: string, who: string | undefined) =>
    `${date}${time ? ` ${time}` : ""} ${who ? `【${who}】` : ""}${what}`,
  nextStep: {
    eligible: "下一步：按上述节点准备材料，经单位审核后提交申报。",
    eligibleNoDeadlines: "下一步：留意当年的申报通知，准备材料，经单位审核后提交申报。",
    waiting: (ym: string) => `下一步：满足年限后（${ym} 起）再申报；期间可继续积累业绩成果。`,
    ineligible: "下一步：对照未满足的条款准备，或咨询单位人事部门。",
    sourcesNotHeld: (docs: string) => `下一步：还需对照 ${docs}（我这里没有该文件），或咨询单位人事部门。`,
    unknowns: (fields: string) => `下一步：弄清${fields}后告诉我，我再帮您确认。`,
    undetermined: "下一步：请咨询单位人事部门确认。",
  },
  detailsHint: "回复“详细”查看全部条款原文，“改一下学历”等可修改信息。",
  detailsTitle: "全部条件及条款原文：",
  assumptionsTitle: "以下条件默认您满足（请自行确认）：",
  sourcesNotHeldTitle: (docs: string) => `另需对照未收录的文件：${docs}`,
  noReportYet: `还没有评估结果。请先告诉我地区和想申报的级别，例如“${FIRST_REGION}，能评高工吗”。`,
  askFailed: "查询政策时出错了，请稍后再试。",
  askPrompt: "请在 /ask 后写上您的问题，例如：/ask 公示几天？",
  clausePrompt: "请在 /clause 后写上关键词，例如：/clause 继续教育",
  clauseNone: (q: string) => `没有找到与“${q}”相关的条款。`,
  clauseHeader: (q: string) => `与“${q}”相关的条款：`,
  deadlinesHeader: (scope: string) => `${scope}近期时间节点：`,
  deadlinesNone: (scope: string) => `${scope}文件中暂无今天以后的时间节点。`,
  deadlinesAllPast: (scope: string, last: string) =>
    `${scope}已收录通知中的时间节点都已过去（最后一个：${last}），我的资料中没有更新的通知；下一轮的时间以新发布的通知为准。`,
  allScopes: "各地",
  citationRef: (title: string, path: string) => `《${title}》${path}`,
  ungroundedSuffix: "",
  regionLevel: (region: string | undefined, level: string | undefined) =>
    [region, level].filter(Boolean).join(" "),
} as const;
