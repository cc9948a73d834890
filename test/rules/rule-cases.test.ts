// The one runner for rule cases kept beside the rules (knowledge/rules/**/cases.yaml, *.cases.yaml).
import { readFileSync, readdirSync } from "node:fs";
import { join, relative } from "node:path";
import { describe, expect, it } from "vitest";
import { parse as parseYaml, stringify } from "yaml";
import { z } from "zod";
import { assess } from "../../src/rules/assess.ts";
import { validateProfile } from "../../src/rules/validate-profile.ts";
import type { EligibilityReport } from "../../src/shared/report.ts";
import { RULES_DIR, ruleBook } from "./load-fixtures.ts";

const status = z.enum(["met", "unmet", "unknown"]);
const expectSchema = z
  .object({
    verdict: z.enum(["eligible", "ineligible", "undetermined"]),
    criteria: z.record(z.string(), status).optional(),
    missing: z.array(z.string()).optional(),
    sourcesNotHeld: z.array(z.string()).optional(),
    earliestEligible: z.string().nullable().optional(),
    firstDeadline: z.string().optional(),
    noDeadlines: z.boolean().optional(),
    /** Every deadline as "YYYY-MM-DD" or "YYYY-MM-DD HH:mm", in order. */
    deadlines: z.array(z.string()).optional(),
  })
  .strict();
const caseSchema = z.object({
  name: z.string(),
  asOf: z.string(),
  /** Merged over the file's default input; a null removes a default field (that fact becomes unknown). */
  input: z.record(z.string(), z.unknown()).default({}),
  expect: expectSchema,
});
const fileSchema = z.object({
  defaults: z
    .object({ asOf: z.string().optional(), input: z.record(z.string(), z.unknown()).default({}) })
    .optional(),
  cases: z.array(caseSchema.extend({ asOf: z.string().optional() })).min(1),
});

type Case = z.infer<typeof caseSchema> & { file: string; profile: Record<string, unknown> };

function caseFiles(): string[] {
  return readdirSync(RULES_DIR, { recursive: true, encoding: "utf8" })
    .filter((f) => /(^|[/.])cases\.yaml$/.test(f))
    .sort()
    .map((f) => join(RULES_DIR, f));
}

function loadCases(file: string): Case[] {
  const data = fileSchema.parse(parseYaml(readFileSync(file, "utf8")));
  return data.cases.map((c) => {
    const merged: Record<string, unknown> = { ...data.defaults?.input, ...c.input };
    for (const [k, v] of Object.entries(merged)) if (v === null) delete merged[k];
    const asOf = c.asOf ?? data.defaults?.asOf;
    if (!asOf) throw new Error(`${file}: case ${c.name} has no asOf`);
    return { ...c, asOf, file: relative(RULES_DIR, file), profile: merged };
  });
}

/** Differences between a report and a case's expectations (empty when it passes). */
function differences(c: Case, report: EligibilityReport): string[] {
  const e = c.expect;
  const out: string[] = [];
  const eq = (what: string, got: unknown, want: unknown) => {
    if (JSON.stringify(got) !== JSON.stringify(want))
      out.push(`${what}: got ${JSON.stringify(got)}, expected ${JSON.stringify(want)}`);
  };
  eq("verdict", report.verdict, e.verdict);
  for (const [id, want] of Object.entries(e.criteria ?? {})) {
    eq(`criterion ${id}`, report.criteria.find((k) => k.id === id)?.status ?? "(absent)", want);
  }
  if (e.missing) eq("missing", report.missing, e.missing);
  if (e.sourcesNotHeld) eq("sourcesNotHeld", report.sourcesNotHeld, e.sourcesNotHeld);
  if (e.earliestEligible !== undefined) eq("earliestEligible", report.earliestEligible, e.earliestEligible);
  if (e.firstDeadline) eq("first deadline", report.deadlines[0]?.date, e.firstDeadline);
  if (e.noDeadlines) eq("deadlines", report.deadlines.length, 0);
  if (e.deadlines)
    eq(
      "deadlines",
      report.deadlines.map((d) => (d.time ? `${d.date} ${d.time}` : d.date)),
      e.deadlines,
    );
  for (const k of report.criteria)
    if (!k.citation.docId || !k.citation.text) out.push(`criterion ${k.id} lacks its citation`);
  return out;
}

const files = caseFiles();

describe("rule cases", () => {
  it("finds case files for every region and the development profiles", () => {
    const names = files.map((f) => relative(RULES_DIR, f));
    expect(names).toEqual(
      expect.arrayContaining([
        "beijing/cases.yaml",
        "zhejiang/cases.yaml",
        "sichuan-bazhong/cases.yaml",
        "dev-profiles.cases.yaml",
      ]),
    );
  });

  for (const file of files) {
    describe(relative(RULES_DIR, file), () => {
      for (const c of loadCases(file)) {
        it(c.name, () => {
          const v = validateProfile(c.profile, c.asOf);
          if (!v.ok)
            throw new Error(`profile rejected: ${JSON.stringify(v.error)}\n--- case ---\n${stringify(c)}`);
          const { report, trace } = assess(ruleBook(), v.profile, v.asOf, { trace: true });
          const diff = differences(c, report);
          if (diff.length) {
            throw new Error(
              [
                `${c.file} › ${c.name}`,
                ...diff,
                "--- case ---",
                stringify(c),
                "--- trace ---",
                ...trace.map((t) => JSON.stringify(t)),
              ].join("\n"),
            );
          }
        });
      }
    });
  }
});
