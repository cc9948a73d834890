// Employer types as people name them: 国企/央企、事业单位、民企/外企、社会组织、自由职业、公务员、参公、退休.
import type { EmployerType } from "../../shared/profile.ts";

// 参公 before 公务员 ("参照公务员法管理" names both); 非公 before 国有 and 公务员.
const PATTERNS: Array<[RegExp, EmployerType]> = [
  [/参公|参照公务员|参照管理/, "civil-servant-managed"],
  [/离退休|退休|返聘/, "retired"],
  [/非公|民企|私企|民营|私营|外企|外资|合资|个体|股份制?公司|互联网公司|有限公司|私人/, "private"],
  [/国企|央企|国有|国资|中字头/, "state-owned"],
  [/事业单位|事业编|高校|医院|研究所|研究院/, "public-institution"],
  [/社会组织|协会|学会|基金会|民非|社会团体|社团/, "social-organization"],
  [/自由职业|灵活就业|自己干|无单位|没有单位/, "freelancer"],
  [/公务员|机关|行政编/, "civil-servant"],
];

/** The employer type a text names, if any (`text` already normalised). */
export function parseEmployerType(text: string): EmployerType | undefined {
  for (const [pattern, value] of PATTERNS) if (pattern.test(text)) return value;
  return undefined;
}
