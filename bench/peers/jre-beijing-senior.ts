// The Beijing senior-engineer rules (knowledge/rules/beijing/senior.yaml) hand-written for json-rules-engine, the peer.
import { Engine, type NestedCondition, type RuleProperties } from "json-rules-engine";
import type { Profile } from "../../src/shared/profile.ts";

interface AwardMatch {
  kinds: string[];
  maxRank?: number;
}

const months = (from: string, to: string) =>
  (Number(to.slice(0, 4)) - Number(from.slice(0, 4))) * 12 +
  Number(to.slice(5, 7)) -
  Number(from.slice(5, 7));

/** The facts json-rules-engine needs, with the years computed as the contract says (later start → asOf). */
export function jreFacts(p: Profile, asOf: string): Record<string, unknown> {
  const start =
    p.graduated && p.specialtyWorkSince
      ? p.graduated > p.specialtyWorkSince
        ? p.graduated
        : p.specialtyWorkSince
      : undefined;
  return {
    employerType: p.employerType,
    continuingEducationMet: p.continuingEducationMet,
    performanceMet: p.performanceMet,
    achievements: p.achievements,
    education: p.education,
    workMonths: start ? months(start, asOf) : undefined,
    titleLevel: p.currentTitle?.level,
    titleSeries: p.currentTitle?.series,
    titleMonths: p.currentTitle?.obtained ? months(p.currentTitle.obtained, asOf) : undefined,
    awards: p.awards,
  };
}

const rule: RuleProperties = {
  conditions: {
    all: [
      {
        fact: "employerType",
        operator: "in",
        value: ["state-owned", "public-institution", "private", "social-organization"],
      },
      { fact: "continuingEducationMet", operator: "equal", value: true },
      { fact: "performanceMet", operator: "equal", value: true },
      { fact: "achievements", operator: "greaterThanInclusive", value: 3 },
      {
        any: [
          {
            all: [
              { fact: "education", operator: "equal", value: "doctorate" },
              { fact: "workMonths", operator: "greaterThanInclusive", value: 24 },
            ],
          },
          {
            all: [
              { fact: "education", operator: "equal", value: "master" },
              { fact: "workMonths", operator: "greaterThanInclusive", value: 84 },
            ],
          },
          {
            all: [
              {
                fact: "education",
                operator: "in",
                value: ["bachelor", "second-bachelor", "master", "doctorate"],
              },
              // As the `held` operator reads "取得中级职称后满5年": a higher title held that long also counts.
              { fact: "titleLevel", operator: "in", value: ["engineer", "senior", "professor"] },
              { fact: "titleMonths", operator: "greaterThanInclusive", value: 60 },
            ],
          },
          {
            all: [
              { fact: "titleLevel", operator: "in", value: ["senior", "professor"] },
              { fact: "titleSeries", operator: "equal", value: "other" },
              { fact: "titleMonths", operator: "greaterThanInclusive", value: 36 },
            ],
          },
          { fact: "awards", operator: "anyAward", value: [{ kinds: ["provincial-sci-tech-award"] }] },
          {
            fact: "awards",
            operator: "anyAward",
            value: [{ kinds: ["china-patent-silver", "china-patent-gold"], maxRank: 3 }],
          },
          {
            fact: "awards",
            operator: "anyAward",
            value: [
              { kinds: ["national-standard"], maxRank: 5 },
              { kinds: ["industry-standard", "local-standard"], maxRank: 3 },
            ],
          },
        ],
      },
    ],
  },
  event: { type: "eligible", params: { level: "senior" } },
};

function addAnyAward(engine: Engine): void {
  engine.addOperator(
    "anyAward",
    (awards: unknown, matches: unknown) =>
      Array.isArray(awards) &&
      (awards as Array<{ kind: string; rank: number }>).some((a) =>
        (matches as AwardMatch[]).some(
          (m) => m.kinds.includes(a.kind) && (m.maxRank === undefined || a.rank <= m.maxRank),
        ),
      ),
  );
}

/** A json-rules-engine engine loaded with the Beijing senior rules (undefined facts allowed, as its users do). */
export function makeJreEngine(): Engine {
  const engine = new Engine([], { allowUndefinedFacts: true });
  addAnyAward(engine);
  engine.addRule(rule);
  return engine;
}

/**
 * The same rules one json-rules-engine rule per criterion (ids as in senior.yaml), each firing an event
 * named after its criterion, so the peer can report every criterion's status as our report does.
 */
export const CRITERIA: ReadonlyArray<{ id: string; all: NestedCondition[] }> = [
  { id: "scope-employer", all: [jreAll(rule, 0)] },
  { id: "continuing-education", all: [jreAll(rule, 1)] },
  { id: "performance", all: [jreAll(rule, 2)] },
  { id: "results-3", all: [jreAll(rule, 3)] },
  ...["edu-doctorate-2y", "edu-master-7y", "intermediate-title-5y", "other-series-senior-3y"].map(
    (id, i) => ({ id, all: [jreAny(i)] }),
  ),
  ...["exceptional-award", "exceptional-patent", "exceptional-standard"].map((id, i) => ({
    id,
    all: [jreAny(4 + i)],
  })),
];

export const GATE = ["scope-employer", "continuing-education", "performance", "results-3"];

// The per-criterion rules reuse the conditions of the one-rule form above, so both stay the same rules.
function jreAll(r: RuleProperties, i: number): NestedCondition {
  const all = "all" in r.conditions ? r.conditions.all : [];
  return all[i] as NestedCondition;
}

function jreAny(i: number): NestedCondition {
  const last = jreAll(rule, 4);
  const any = "any" in last ? last.any : [];
  return any[i] as NestedCondition;
}

/** An engine with one rule per criterion; `run` yields one event per met criterion. */
export function makeJreCriteriaEngine(): Engine {
  const engine = new Engine([], { allowUndefinedFacts: true });
  addAnyAward(engine);
  for (const c of CRITERIA) engine.addRule({ conditions: { all: c.all }, event: { type: c.id } });
  return engine;
}
