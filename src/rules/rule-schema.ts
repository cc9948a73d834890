// The shape of a rule file (knowledge/rules/<region>/<level>.yaml), checked with zod before compiling.
import { z } from "zod";
import { LEVELS, REGION_ID } from "../shared/domain.ts";
import { isoDate } from "../shared/profile.ts";
import { AWARD_KINDS, FACT_NAMES, OPERATOR_NAMES } from "./facts.ts";

const ruleId = z.string().regex(/^[a-z0-9][a-z0-9-]*$/, "id 只能含小写字母、数字和连字符");

export const awardMatchSchema = z.object({
  kinds: z.array(z.enum(AWARD_KINDS)).min(1),
  /** Highest rank (1 = first) that still counts; absent means any rank. */
  maxRank: z.number().int().positive().optional(),
});
export type AwardMatch = z.infer<typeof awardMatchSchema>;

export const testSchema = z.object({
  fact: z.enum(FACT_NAMES),
  op: z.enum(OPERATOR_NAMES),
  value: z.unknown(),
  /** With `in`: values the notice neither names nor excludes, so they give unknown rather than unmet. */
  unknown: z.array(z.string()).optional(),
});

export const criterionSchema = z
  .object({
    id: ruleId,
    description: z.string().min(1),
    clause: z.string().min(1),
    /** Tests that must all hold (absent fact = unknown). */
    all: z.array(testSchema).min(1).optional(),
    /** Set by a document the knowledge base does not hold: always unknown, named in `sourcesNotHeld`. */
    notHeld: z.string().min(1).optional(),
    /** No notice states conditions here: always unknown, nothing to ask. */
    noConditions: z.literal(true).optional(),
  })
  .refine((c) => [c.all, c.notHeld, c.noConditions].filter((x) => x !== undefined).length === 1, {
    message: "每条标准须且只能有 all、notHeld、noConditions 之一",
  });

export const ruleFileSchema = z.object({
  id: ruleId,
  // Which regions exist is the regions file's to say (checked by loadRules).
  region: z.string().regex(REGION_ID),
  level: z.enum(LEVELS),
  /** First day the rules apply (notice in force or round published). */
  validFrom: isoDate.optional(),
  validTo: isoDate.optional(),
  /** Qualification cut-off of the round: years are counted to it instead of to asOf. */
  cutoff: z.object({ date: isoDate, clause: z.string().min(1) }).optional(),
  criteria: z.array(criterionSchema).min(1),
  /** Criteria every path needs (scope, exclusions, conditions common to all alternatives). */
  gate: z.array(z.string()).default([]),
  /** Alternative paths (any-of); each lists criteria that must all be met. */
  paths: z
    .array(z.object({ id: ruleId, description: z.string().min(1), criteria: z.array(z.string()).min(1) }))
    .min(1),
  /** Conditions no profile field records, presumed met and cited. */
  assumptions: z.array(z.object({ description: z.string().min(1), clause: z.string().min(1) })).default([]),
});

export type RuleFile = z.infer<typeof ruleFileSchema>;
export type RuleTestDef = z.infer<typeof testSchema>;
