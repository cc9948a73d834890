// Rule loading: every region × level is covered, and bad rules fail naming file, rule id and field.
import { describe, expect, it } from "vitest";
import { compileRuleFile, RulesLoadError } from "../../src/rules/load-rules.ts";
import { LEVELS, REGIONS } from "../../src/shared/domain.ts";
import { knowledgeBase, ruleBook } from "./load-fixtures.ts";

const base = () => ({
  id: "demo",
  region: "beijing",
  level: "senior",
  criteria: [
    {
      id: "results",
      description: "成果3项及以上",
      clause: "beijing-ai-title-2020:附件三、(三)",
      all: [{ fact: "achievements", op: "gte", value: 3 }],
    },
  ],
  paths: [{ id: "only", description: "唯一路径", criteria: ["results"] }],
});

function loadError(raw: unknown): RulesLoadError {
  try {
    compileRuleFile("beijing/demo.yaml", raw, knowledgeBase());
  } catch (e) {
    if (e instanceof RulesLoadError) return e;
    throw e;
  }
  throw new Error("expected a RulesLoadError");
}

describe("loadRules", () => {
  it("has rules for every region and level, each criterion cited with the clause's words", () => {
    const book = ruleBook();
    for (const r of REGIONS)
      for (const l of LEVELS) expect(book.byScope.get(`${r}/${l}`)?.length, `${r}/${l}`).toBeGreaterThan(0);
    for (const rs of book.ruleSets)
      for (const c of rs.criteria)
        expect(knowledgeBase().clause(c.citation.clauseId)?.text).toBe(c.citation.text);
  });

  it("accepts the minimal valid file", () => {
    expect(compileRuleFile("beijing/demo.yaml", base(), knowledgeBase()).criteria[0]?.id).toBe("results");
  });

  it("rejects an unknown fact, naming file, rule and field", () => {
    const raw = base();
    raw.criteria[0]!.all[0]!.fact = "salary";
    const e = loadError(raw);
    expect([e.file, e.rule, e.field]).toEqual(["beijing/demo.yaml", "results", "all.0.fact"]);
  });

  it("rejects an operator that does not fit the fact", () => {
    const raw = base();
    raw.criteria[0]!.all[0]!.op = "eq";
    const e = loadError(raw);
    expect([e.rule, e.field]).toEqual(["results", "all.0.op"]);
  });

  it("rejects an unknown operator", () => {
    const raw = base();
    raw.criteria[0]!.all[0]!.op = "between";
    expect(loadError(raw).field).toBe("all.0.op");
  });

  it("rejects a clause id the knowledge base does not have", () => {
    const raw = base();
    raw.criteria[0]!.clause = "beijing-ai-title-2020:附件九、";
    const e = loadError(raw);
    expect([e.rule, e.field]).toEqual(["results", "clause"]);
    expect(e.message).toContain("附件九、");
  });

  it("rejects an enum value the fact cannot take", () => {
    const raw = {
      ...base(),
      criteria: [{ ...base().criteria[0]!, all: [{ fact: "education", op: "in", value: ["phd"] }] }],
    };
    expect(loadError(raw).field).toBe("all.0.value");
  });

  it("rejects a path naming an undefined criterion", () => {
    const raw = { ...base(), paths: [{ id: "only", description: "x", criteria: ["nope"] }] };
    const e = loadError(raw);
    expect([e.rule, e.field]).toEqual(["only", "criteria"]);
  });
});
