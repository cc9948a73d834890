// The applicant profile (contract: input of `check`), validated with zod; absent = unknown.
import { z } from "zod";
import { LEVELS, REGIONS } from "./domain.ts";

const yearMonth = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])$/, "应为 YYYY-MM");
/** A calendar day, YYYY-MM-DD (profiles, rule validity, deadlines). */
export const isoDate = z.string().regex(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, "应为 YYYY-MM-DD");

export const EDUCATIONS = [
  "secondary-vocational",
  "junior-college",
  "bachelor",
  "second-bachelor",
  "master",
  "doctorate",
] as const;
export type Education = (typeof EDUCATIONS)[number];

export const EMPLOYER_TYPES = [
  "state-owned",
  "public-institution",
  "private",
  "social-organization",
  "freelancer",
  "civil-servant",
  "civil-servant-managed",
  "retired",
] as const;
export type EmployerType = (typeof EMPLOYER_TYPES)[number];

export const AWARD_KINDS = [
  "provincial-sci-tech-award",
  "china-patent-gold",
  "china-patent-silver",
  "national-standard",
  "industry-standard",
  "local-standard",
] as const;

export const currentTitleSchema = z.object({
  level: z.enum(["none", ...LEVELS]),
  series: z.enum(["same", "other"]).optional(),
  obtained: yearMonth.optional(),
});

export const awardSchema = z.object({
  kind: z.enum(AWARD_KINDS),
  rank: z.number().int().positive(),
});

/** Shape only; cross-field checks (dates against asOf) live in `validateProfile`. */
export const profileSchema = z.object({
  id: z.string().optional(),
  region: z.enum(REGIONS),
  targetLevel: z.enum(LEVELS),
  education: z.enum(EDUCATIONS).optional(),
  graduated: yearMonth.optional(),
  specialtyWorkSince: yearMonth.optional(),
  currentTitle: currentTitleSchema.optional(),
  employerType: z.enum(EMPLOYER_TYPES).optional(),
  awards: z.array(awardSchema).optional(),
  achievements: z.number().int().nonnegative().optional(),
  performanceMet: z.boolean().optional(),
  selfScore: z.number().min(0).max(1000).optional(),
  continuingEducationMet: z.boolean().optional(),
  otherApplicationThisYear: z.boolean().optional(),
  firstApplication: z.boolean().optional(),
  asOf: isoDate.optional(),
});

export type Profile = z.infer<typeof profileSchema>;
export type CurrentTitle = z.infer<typeof currentTitleSchema>;
export type Award = z.infer<typeof awardSchema>;

/** Profile fields the engine reads (the dialog's slots). */
export type ProfileField = Exclude<keyof Profile, "id" | "asOf">;

/** Every ProfileField, in the schema's order. */
export const PROFILE_FIELDS = Object.keys(profileSchema.shape).filter(
  (k): k is ProfileField => k !== "id" && k !== "asOf",
);
