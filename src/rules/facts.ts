// The facts rules may read: profile fields and the two derived durations, with the operators each allows.
import { LEVELS } from "../shared/domain.ts";
import { AWARD_KINDS, EDUCATIONS, EMPLOYER_TYPES, type ProfileField } from "../shared/profile.ts";

export type FactKind = "enum" | "boolean" | "number" | "months" | "awards" | "title";

export interface FactSpec {
  kind: FactKind;
  /** Profile fields the fact is read from (what the dialog must ask when it is unknown). */
  fields: readonly ProfileField[];
  /** Allowed values for enum facts. */
  values?: readonly string[];
}

/**
 * Every fact a rule may name. `workMonths` counts whole months from the later of `graduated` and
 * `specialtyWorkSince`; `titleMonths` from `currentTitle.obtained` (contract: years of work).
 */
export const FACTS = {
  employerType: { kind: "enum", fields: ["employerType"], values: EMPLOYER_TYPES },
  education: { kind: "enum", fields: ["education"], values: EDUCATIONS },
  "currentTitle.level": { kind: "enum", fields: ["currentTitle"], values: ["none", ...LEVELS] },
  "currentTitle.series": { kind: "enum", fields: ["currentTitle"], values: ["same", "other"] },
  performanceMet: { kind: "boolean", fields: ["performanceMet"] },
  continuingEducationMet: { kind: "boolean", fields: ["continuingEducationMet"] },
  otherApplicationThisYear: { kind: "boolean", fields: ["otherApplicationThisYear"] },
  firstApplication: { kind: "boolean", fields: ["firstApplication"] },
  achievements: { kind: "number", fields: ["achievements"] },
  selfScore: { kind: "number", fields: ["selfScore"] },
  awards: { kind: "awards", fields: ["awards"] },
  workMonths: { kind: "months", fields: ["graduated", "specialtyWorkSince"] },
  titleMonths: { kind: "months", fields: ["currentTitle"] },
  /** The current title as a whole: level, series and months held (for "取得X级职称后满N年"). */
  currentTitle: { kind: "title", fields: ["currentTitle"] },
} as const satisfies Record<string, FactSpec>;

export type FactName = keyof typeof FACTS;
export const FACT_NAMES = Object.keys(FACTS) as FactName[];

/** Operators and the fact kinds they apply to. */
export const OPERATORS = {
  in: ["enum"],
  eq: ["boolean"],
  gte: ["number", "months"],
  anyAward: ["awards"],
  held: ["title"],
} as const satisfies Record<string, readonly FactKind[]>;

export type OperatorName = keyof typeof OPERATORS;
export const OPERATOR_NAMES = Object.keys(OPERATORS) as OperatorName[];

/**
 * Title grades: 技术员 and 助理工程师 are both 初级 (员级 and 助理级), so "取得初级职称" is met by either.
 * A higher grade implies the lower one was held before it (the usual ladder), for longer.
 */
export const TITLE_GRADE: Record<(typeof LEVELS)[number], number> = {
  technician: 1,
  assistant: 1,
  engineer: 2,
  senior: 3,
  professor: 4,
};

/** Order in which unknown fields are asked when decisiveness ties (the dialog's natural order). */
export const FIELD_ORDER: readonly ProfileField[] = [
  "employerType",
  "otherApplicationThisYear",
  "education",
  "graduated",
  "specialtyWorkSince",
  "currentTitle",
  "awards",
  "performanceMet",
  "achievements",
  "selfScore",
  "continuingEducationMet",
  "firstApplication",
];

export { AWARD_KINDS };
