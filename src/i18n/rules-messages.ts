// Chinese messages of the rules area (load errors, profile validation, working-day notes).

/** A day as Chinese text prints it: 2024-10-23 → 2024年10月23日. */
function chineseDate(iso: string): string {
  const [y, m, d] = iso.split("-");
  return `${y}年${Number(m)}月${Number(d)}日`;
}

export const RULES_TEXT = {
  rulesLoad: (file: string, rule: string, field: string, why: string) =>
    `规则文件 ${file} 中 ${rule} 的 ${field} 有误：${why}`,
  deadlinesLoad: (file: string, step: string, field: string, why: string) =>
    `截止日期文件 ${file} 中 ${step} 的 ${field} 有误：${why}`,
  unknownFact: (fact: string) => `未知的事实 ${fact}`,
  unknownOperator: (op: string, fact: string) => `运算符 ${op} 不适用于事实 ${fact}`,
  unknownClause: (clause: string) => `知识库中没有条款 ${clause}`,
  unknownCriterion: (id: string) => `未定义的标准 ${id}`,
  duplicateId: (id: string) => `重复的 id ${id}`,
  badValue: (why: string) => `取值不合法：${why}`,
  // The submission day is not a publicity day: the employer submits only once the publicity is over.
  publicityBeforeSubmission: (days: number, start: string, end: string) =>
    `；公示期满后单位才能上传公示情况并提交，截止当天不能算作公示日：按 chinese-days 工作日历（计入法定节假日及调休上班日）推算，${days}个工作日的公示应在${end}（截止日前最后一个工作日）结束，最迟应于${start}开始`,
  profile: {
    notObject: "申报信息应为 JSON 对象",
    invalidField: (field: string, why: string) => `字段 ${field} 不合法：${why}`,
    invalidDate: (field: string, value: string) => `字段 ${field} 的日期 ${value} 不存在`,
    afterAsOf: (field: string, value: string, asOf: string) =>
      `字段 ${field} 的时间 ${value} 晚于评估日期 ${asOf}`,
  },
  noRoundStep: "至少要有一个不是计算截止日（countsTo）的时间节点",
  chineseDate,
  /** Every round covering the question closed: say when, and that no later notice is held. */
  roundClosed: (date: string) =>
    `该轮申报已于${chineseDate(date)}结束，我的资料中没有更新的通知（下一轮的时间以新发布的通知为准）。`,
  /** Verdicts for a closed round still explain the criteria: they are what the next round will most likely ask. */
  criteriaForNextRound: "以下条件供参考，下一轮申报很可能沿用。",
  roundsHeader: "申报轮次：",
  roundStatus: { upcoming: "尚未开始", open: "进行中", closed: "已结束" },
  roundLine: (title: string, status: string, lastStep: string) =>
    `${title}：${status}（最后节点 ${lastStep}）`,
  noRuleInForce: (region: string, level: string) =>
    `${region}${level}：评估日期时尚无生效的规则，按最近一期通知评估`,
} as const;
