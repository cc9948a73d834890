// Chinese text of the HR staff sheets: column labels, result columns, verdict names and sheet errors.
import type { Verdict } from "../shared/report.ts";

/** The label `template` writes for each column a staff sheet may have (profile field names, flattened). */
export const HR_COLUMN_LABELS = {
  id: "编号",
  region: "地区",
  targetLevel: "申报级别",
  education: "学历",
  graduated: "毕业时间",
  specialtyWorkSince: "从事本专业起始时间",
  "currentTitle.level": "现有职称级别",
  "currentTitle.series": "现有职称系列",
  "currentTitle.obtained": "现有职称取得时间",
  employerType: "单位性质",
  awards: "奖项与标准",
  achievements: "代表性成果数量",
  performanceMet: "满足业绩条件",
  selfScore: "自评分",
  continuingEducationMet: "继续教育已完成",
  otherApplicationThisYear: "今年另报其他职称",
  firstApplication: "首次申报",
  asOf: "评估日期",
} as const;

/** Headers of the columns the filled sheet adds after the staff's own. */
export const HR_RESULT_LABELS = {
  verdictText: "结论",
  verdict: "verdict",
  earliestEligible: "最早可申报",
  missing: "待补充信息",
  unmet: "未满足条件（条款）",
  sourcesNotHeld: "未收录的依据文件",
  error: "错误",
} as const;

export const HR_VERDICT_NAMES: Record<Verdict, string> = {
  eligible: "符合申报条件",
  ineligible: "暂不符合申报条件",
  undetermined: "尚无法确定",
};

export const HR_TEXT = {
  /** Header of the template's 填写说明 sheet. */
  notesHeader: ["列名", "字段名", "可填写的值"],
  noKnownColumns: "第一行应为列名（字段名或模板中的中文列名，如“地区”“申报级别”），没有找到可识别的列。",
  notASheet: "无法读取表格：文件不是有效的 .xlsx 或 .csv。",
  emptySheet: "表格是空的：第一行应为列名。",
  badCell: (label: string, value: string, expected: string) =>
    `“${label}”一栏的值“${value}”无法识别，应为${expected}。`,
  expected: {
    text: "文字",
    yearMonth: "年月（如 2020-07、2020年7月或 Excel 日期）",
    day: "日期（如 2024-12-31 或 Excel 日期）",
    integer: "非负整数",
    number: "数字",
    yesNo: "是/否",
    awards: "“类别:排名;类别:排名”（如 省部级科技奖:2），或 none/无",
    oneOf: (names: readonly string[]) => names.join("、"),
  },
  summaryLine: (counts: Record<Verdict | "error", number>, total: number, out: string) =>
    `共 ${total} 行：${HR_VERDICT_NAMES.eligible} ${counts.eligible}，${HR_VERDICT_NAMES.ineligible} ${counts.ineligible}，` +
    `${HR_VERDICT_NAMES.undetermined} ${counts.undetermined}，出错 ${counts.error}；结果已写入 ${out}`,
  unknownFormat: (file: string) => `无法识别 ${file} 的格式：应为 .jsonl、.csv 或 .xlsx。`,
  badTemplateFormat: "应为 xlsx 或 csv",
  binaryToTerminal: "xlsx 是二进制文件，不能直接输出到终端：请加 --out 文件名.xlsx，或重定向到文件。",
  tooManyRows: (max: number) => `表格超过 ${max} 行，请拆分后分批上传（或使用命令行 check --batch）。`,
  archiveTooLarge: (mb: number) => `表格解压后超过 ${mb} MB，已拒绝（可能是压缩炸弹）。`,
  uploadTooLarge: (mb: number) => `上传的表格超过 ${mb} MB。`,
  unsupportedUpload:
    "请上传 .xlsx 或 .csv 文件（Content-Type 为 xlsx、text/csv 或 application/octet-stream）。",
} as const;
