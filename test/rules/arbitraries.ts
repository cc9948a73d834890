// fast-check generators of profiles (any field may be absent = unknown) for the engine's properties.
import fc from "fast-check";
import { LEVELS, REGIONS } from "../../src/shared/domain.ts";
import {
  AWARD_KINDS,
  EDUCATIONS,
  EMPLOYER_TYPES,
  PROFILE_FIELDS,
  type Profile,
} from "../../src/shared/profile.ts";

const pad = (n: number) => String(n).padStart(2, "0");
export const yearMonth = (from: number, to: number) =>
  fc.integer({ min: from * 12, max: to * 12 + 11 }).map((i) => `${Math.floor(i / 12)}-${pad((i % 12) + 1)}`);
export const isoDay = fc
  .tuple(
    fc.integer({ min: 2020, max: 2030 }),
    fc.integer({ min: 1, max: 12 }),
    fc.integer({ min: 1, max: 28 }),
  )
  .map(([y, m, d]) => `${y}-${pad(m)}-${pad(d)}`);

export const awardArb = fc.record({
  kind: fc.constantFrom(...AWARD_KINDS),
  rank: fc.integer({ min: 1, max: 8 }),
});

export const profileArb: fc.Arbitrary<Profile> = fc.record(
  {
    region: fc.constantFrom(...REGIONS),
    targetLevel: fc.constantFrom(...LEVELS),
    education: fc.constantFrom(...EDUCATIONS),
    graduated: yearMonth(1995, 2024),
    specialtyWorkSince: yearMonth(1995, 2024),
    currentTitle: fc.record(
      {
        level: fc.constantFrom("none" as const, ...LEVELS),
        series: fc.constantFrom("same" as const, "other" as const),
        obtained: yearMonth(1998, 2024),
      },
      { requiredKeys: ["level"] },
    ),
    employerType: fc.constantFrom(...EMPLOYER_TYPES),
    awards: fc.array(awardArb, { maxLength: 3 }),
    achievements: fc.integer({ min: 0, max: 6 }),
    performanceMet: fc.boolean(),
    selfScore: fc.integer({ min: 60, max: 100 }),
    continuingEducationMet: fc.boolean(),
    otherApplicationThisYear: fc.boolean(),
    firstApplication: fc.boolean(),
  },
  { requiredKeys: ["region", "targetLevel"] },
);

/** Fields the engine may read (every optional profile field but id and asOf). */
export const OPTIONAL_FIELDS = PROFILE_FIELDS.filter((f) => f !== "region" && f !== "targetLevel");

/** Complete profiles skewed towards meeting the conditions, so eligible and waiting cases are common. */
export const likelyProfileArb: fc.Arbitrary<Profile> = fc.record({
  region: fc.constantFrom("beijing" as const, "zhejiang" as const),
  targetLevel: fc.constantFrom(
    "assistant" as const,
    "engineer" as const,
    "senior" as const,
    "professor" as const,
  ),
  education: fc.constantFrom(
    "bachelor" as const,
    "master" as const,
    "doctorate" as const,
    "junior-college" as const,
  ),
  graduated: yearMonth(2000, 2024),
  specialtyWorkSince: yearMonth(2000, 2024),
  currentTitle: fc.record({
    level: fc.constantFrom(
      "none" as const,
      "assistant" as const,
      "engineer" as const,
      "senior" as const,
      "professor" as const,
    ),
    series: fc.constantFrom("same" as const, "other" as const),
    obtained: yearMonth(2005, 2024),
  }),
  employerType: fc.constantFrom("state-owned" as const, "private" as const),
  awards: fc.array(awardArb, { maxLength: 2 }),
  achievements: fc.integer({ min: 1, max: 5 }),
  performanceMet: fc.constant(true),
  selfScore: fc.integer({ min: 85, max: 100 }),
  continuingEducationMet: fc.constant(true),
});

/** Mostly likely-eligible profiles, with sparse random ones mixed in. */
export const mixedProfileArb = fc.oneof(
  { arbitrary: likelyProfileArb, weight: 3 },
  { arbitrary: profileArb, weight: 1 },
);
