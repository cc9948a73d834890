// Loads knowledge/rules/**.yaml, validates them (zod, facts, operators, clause ids) and compiles a RuleBook.
import { readFileSync, readdirSync, existsSync } from "node:fs";
import { dirname, join, relative } from "node:path";
import { parse as parseYaml } from "yaml";
import { regionsBeside, type KnowledgeBase } from "../knowledge/knowledge-base.ts";
import { z } from "zod";
import { LEVELS, type Citation } from "../shared/domain.ts";
import type { ProfileField } from "../shared/profile.ts";
import type { CriterionResult, CriterionStatus } from "../shared/report.ts";
import { loadDeadlines, type DeadlineBook } from "./deadlines.ts";
import { compileCriterionFn, compileTestFn } from "./evaluate.ts";
import { markImmutable } from "./immutable.ts";
import { FACTS, OPERATORS } from "./facts.ts";
import { RULES_TEXT } from "../i18n/rules-messages.ts";
import {
  scopeKey,
  type CompiledCriterion,
  type CompiledTest,
  type RuleBook,
  type RuleSet,
} from "./rule-book.ts";
import { awardMatchSchema, ruleFileSchema, type RuleFile, type RuleTestDef } from "./rule-schema.ts";
import { RulesLoadError, locateIssue } from "./rules-load-error.ts";

export { RulesLoadError };

/** Rule files under `dir` (recursively), skipping test-case files (`cases.yaml`, `*.cases.yaml`). */
export function ruleFiles(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".yaml") && !/(^|[/.])cases\.yaml$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/**
 * Loads every rule file under `dir` and the rounds' deadlines (default: the sibling `deadlines` folder).
 * Throws RulesLoadError naming file, rule id and field on any bad shape, fact, operator or clause id.
 */
export function loadRules(
  dir: string,
  kb: KnowledgeBase,
  deadlinesDir = join(dirname(dir), "deadlines"),
): RuleBook {
  const regions = regionsBeside(join(dirname(dir), "notices"));
  const ruleSets = ruleFiles(dir).map((file) => {
    const name = relative(dir, file);
    let raw: unknown;
    try {
      raw = parseYaml(readFileSync(file, "utf8"));
    } catch (cause) {
      throw new RulesLoadError(name, "(file)", "(yaml)", String(cause), { cause });
    }
    const ruleSet = compileRuleFile(name, raw, kb);
    // Regions are data: a rule file's region must be one the knowledge folder's regions file names.
    if (!regions.regions.some((r) => r.id === ruleSet.region))
      throw new RulesLoadError(name, ruleSet.id, "region", `地区 ${ruleSet.region} 不在地区文件中`);
    return ruleSet;
  });
  const deadlines: DeadlineBook = existsSync(deadlinesDir)
    ? loadDeadlines(deadlinesDir, kb)
    : { deadlines: [] };
  return buildRuleBook(ruleSets, deadlines);
}

/** Indexes compiled rule sets by region and level, each scope sorted by `validFrom`. */
export function buildRuleBook(ruleSets: RuleSet[], deadlines: DeadlineBook): RuleBook {
  const byScope = new Map<string, RuleSet[]>();
  for (const rs of ruleSets) {
    const key = scopeKey(rs.region, rs.level);
    byScope.set(key, [...(byScope.get(key) ?? []), rs]);
  }
  for (const list of byScope.values())
    list.sort((a, b) => (a.validFrom ?? "").localeCompare(b.validFrom ?? ""));
  return { ruleSets, byScope, deadlines };
}

/** Validates and compiles one parsed rule file. */
export function compileRuleFile(file: string, raw: unknown, kb: KnowledgeBase): RuleSet {
  const parsed = ruleFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const { rule, field } = locateIssue(raw, issue?.path ?? []);
    throw new RulesLoadError(file, rule, field, issue?.message ?? "格式不合法");
  }
  const data: RuleFile = parsed.data;
  // Citations are frozen once here and shared by every report, so serialisers may cache their JSON.
  const cite = (rule: string, field: string, clause: string): Citation => {
    if (!kb.clause(clause)) throw new RulesLoadError(file, rule, field, RULES_TEXT.unknownClause(clause));
    return markImmutable(kb.cite(clause));
  };

  const index = new Map<string, number>();
  const criteria: CompiledCriterion[] = data.criteria.map((c, i) => {
    if (index.has(c.id)) throw new RulesLoadError(file, c.id, "id", RULES_TEXT.duplicateId(c.id));
    index.set(c.id, i);
    const tests = (c.all ?? []).map((t, j) => compileTest(file, c.id, `all.${j}`, t));
    const fields = [...new Set(tests.flatMap((t): readonly ProfileField[] => FACTS[t.fact].fields))];
    const citation = cite(c.id, "clause", c.clause);
    const opaque = c.notHeld !== undefined || c.noConditions === true;
    const testFns = tests.map(compileTestFn);
    const result = (status: CriterionStatus): CriterionResult =>
      markImmutable({ id: c.id, description: c.description, status, citation });
    return {
      id: c.id,
      description: c.description,
      citation,
      tests,
      testFns,
      check: compileCriterionFn(opaque, testFns),
      results: { met: result("met"), unmet: result("unmet"), unknown: result("unknown") },
      ...(c.notHeld ? { notHeld: c.notHeld } : {}),
      opaque,
      fields,
    };
  });
  const resolve = (rule: string, field: string, ids: readonly string[]): number[] =>
    ids.map((id) => {
      const at = index.get(id);
      if (at === undefined) throw new RulesLoadError(file, rule, field, RULES_TEXT.unknownCriterion(id));
      return at;
    });

  const pathIds = new Set<string>();
  const paths = data.paths.map((p) => {
    if (pathIds.has(p.id)) throw new RulesLoadError(file, p.id, "id", RULES_TEXT.duplicateId(p.id));
    pathIds.add(p.id);
    const at = resolve(p.id, "criteria", p.criteria);
    return {
      id: p.id,
      description: p.description,
      criteria: at,
      opaque: at.some((i) => criteria[i]?.opaque),
    };
  });
  return {
    file,
    id: data.id,
    region: data.region,
    level: data.level,
    ...(data.validFrom ? { validFrom: data.validFrom } : {}),
    ...(data.validTo ? { validTo: data.validTo } : {}),
    ...(data.cutoff
      ? { cutoff: { date: data.cutoff.date, citation: cite(data.id, "cutoff.clause", data.cutoff.clause) } }
      : {}),
    criteria,
    gate: resolve(data.id, "gate", data.gate),
    paths,
    assumptions: markImmutable(
      data.assumptions.map((a, i) => ({
        description: a.description,
        citation: cite(data.id, `assumptions.${i}.clause`, a.clause),
      })),
    ),
  };
}

const titleHeldSchema = z.object({
  level: z.enum(LEVELS),
  months: z.number().int().nonnegative(),
  series: z.enum(["same", "other"]).optional(),
});

function compileTest(file: string, rule: string, field: string, t: RuleTestDef): CompiledTest {
  const spec = FACTS[t.fact];
  if (t.unknown !== undefined && t.op !== "in")
    throw new RulesLoadError(file, rule, `${field}.unknown`, RULES_TEXT.badValue("unknown 只能与 in 一起用"));
  const kinds: readonly string[] = OPERATORS[t.op];
  if (!kinds.includes(spec.kind))
    throw new RulesLoadError(file, rule, `${field}.op`, RULES_TEXT.unknownOperator(t.op, t.fact));
  const bad = (why: string) => new RulesLoadError(file, rule, `${field}.value`, RULES_TEXT.badValue(why));
  switch (t.op) {
    case "in": {
      const allowed: readonly string[] = "values" in spec ? spec.values : [];
      if (!Array.isArray(t.value) || t.value.length === 0) throw bad("in 需要非空列表");
      for (const v of [...(t.value as unknown[]), ...(t.unknown ?? [])])
        if (typeof v !== "string" || !allowed.includes(v)) throw bad(`${String(v)} 不是 ${t.fact} 的取值`);
      if ((t.unknown ?? []).some((v) => (t.value as string[]).includes(v)))
        throw bad("unknown 与 value 不能重复");
      return {
        fact: t.fact,
        op: "in",
        value: new Set(t.value as string[]),
        list: [...(t.value as string[])],
        unknown: new Set(t.unknown ?? []),
      };
    }
    case "eq":
      if (typeof t.value !== "boolean") throw bad("eq 需要 true 或 false");
      return { fact: t.fact, op: "eq", value: t.value };
    case "gte":
      if (typeof t.value !== "number" || !Number.isFinite(t.value) || t.value < 0)
        throw bad("gte 需要非负数");
      return { fact: t.fact, op: "gte", value: t.value };
    case "held": {
      const held = titleHeldSchema.safeParse(t.value);
      if (!held.success) throw bad(held.error.issues[0]?.message ?? "held 需要 {level, months, series?}");
      return { fact: t.fact, op: "held", value: held.data };
    }
    case "anyAward": {
      const list = awardMatchSchema.array().min(1).safeParse(t.value);
      if (!list.success) throw bad(list.error.issues[0]?.message ?? "anyAward 需要 [{kinds, maxRank?}]");
      return { fact: t.fact, op: "anyAward", value: list.data };
    }
  }
}
