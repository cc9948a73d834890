// Which profile field a phrase names ("改一下学历" → education), for corrections and re-asking.
import type { ProfileField } from "../../shared/profile.ts";

// Specific before general: "申报级别" before "职称", "毕业时间" before anything with "时间".
const FIELD_WORDS: Array<[RegExp, ProfileField]> = [
  [/申报级别|申报的?职称|目标|想评|要评|级别/, "targetLevel"],
  [/地区|省份|城市|地方|所在地/, "region"],
  [/学历|学位/, "education"],
  [/毕业/, "graduated"],
  [/从业|工作年限|从事|入行|开始工作|工作时间|年限/, "specialtyWorkSince"],
  [/继续教育|学时/, "continuingEducationMet"],
  [/奖项|获奖|奖|标准/, "awards"],
  [/成果|论文|专利/, "achievements"],
  [/业绩/, "performanceMet"],
  [/自评|评分|分数/, "selfScore"],
  [/其他系列|另报|同时申报/, "otherApplicationThisYear"],
  [/首次|第一次/, "firstApplication"],
  [/单位/, "employerType"],
  [/职称/, "currentTitle"],
];

const EDIT = /改一下|修改|更改|更正|重填|重新填|重新输入|填错|写错|说错|^改/;

/** The field named in the text, if any. */
export function fieldMentioned(text: string): ProfileField | undefined {
  for (const [pattern, field] of FIELD_WORDS) if (pattern.test(text)) return field;
  return undefined;
}

/** "改一下学历", "学历填错了": the field the user wants to fill in again, when no new value is given. */
export function fieldToEdit(text: string): ProfileField | undefined {
  if (!EDIT.test(text)) return undefined;
  return fieldMentioned(text);
}

/** "不对，…", "说错了，…": the message corrects what was recorded. */
export function isCorrection(text: string): boolean {
  return (
    /^(?:不对|不是|错了|说错|更正|纠正|应该是|改成|改为|其实是)/.test(text) ||
    /(?:改成|改为|更正为)/.test(text)
  );
}
