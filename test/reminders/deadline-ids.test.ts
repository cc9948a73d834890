// Every deadline in knowledge/deadlines has a stable id (`<round>/<step>`), unique, checked at load.
import { copyFileSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { listDeadlines, loadDeadlines } from "../../src/rules/deadlines.ts";
import { RulesLoadError } from "../../src/rules/rules-load-error.ts";
import { DEADLINES_DIR, knowledgeBase, ruleBook } from "../rules/load-fixtures.ts";

describe("deadline ids", () => {
  it("are set on every deadline, unique, and name the round and the step", () => {
    const all = listDeadlines(ruleBook().deadlines);
    const ids = all.map((d) => d.id);
    expect(ids.every((id) => typeof id === "string" && /^[a-z0-9-]+\/[a-z0-9-]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids).toContain("bazhong-digital-2024/online-application");
    expect(ids).toContain("zhejiang-ai-senior-2024/individual-online");
    const online = all.find((d) => d.id === "zhejiang-ai-senior-2024/individual-online");
    expect(online?.date).toBe("2024-09-06");
  });

  it("do not depend on the date: moving a step's date keeps its id", () => {
    const dir = mkdtempSync(join(tmpdir(), "zc-ids-"));
    const file = "zhejiang-ai-senior-2024.yaml";
    const text = readFileSync(join(DEADLINES_DIR, file), "utf8").replace(
      'date: "2024-09-06"',
      'date: "2024-09-10"',
    );
    writeFileSync(join(dir, file), text);
    const moved = loadDeadlines(dir, knowledgeBase()).deadlines.find(
      (d) => d.id === "zhejiang-ai-senior-2024/individual-online",
    );
    expect(moved?.date).toBe("2024-09-10");
  });

  it("are refused at load when two deadlines share one, naming both files", () => {
    const dir = mkdtempSync(join(tmpdir(), "zc-ids-"));
    copyFileSync(join(DEADLINES_DIR, "zhejiang-ai-senior-2024.yaml"), join(dir, "a.yaml"));
    copyFileSync(join(DEADLINES_DIR, "zhejiang-ai-senior-2024.yaml"), join(dir, "b.yaml"));
    expect(() => loadDeadlines(dir, knowledgeBase())).toThrow(RulesLoadError);
    expect(() => loadDeadlines(dir, knowledgeBase())).toThrow(
      /zhejiang-ai-senior-2024\/achievement-cutoff.*a\.yaml/,
    );
  });

  it("are refused when a step repeats an id within its round, or is not kebab-case", () => {
    const dir = mkdtempSync(join(tmpdir(), "zc-ids-"));
    const text = readFileSync(join(DEADLINES_DIR, "zhejiang-ai-senior-2024.yaml"), "utf8");
    writeFileSync(join(dir, "z.yaml"), text.replace("id: lower-committee", "id: individual-online"));
    expect(() => loadDeadlines(dir, knowledgeBase())).toThrow(/individual-online/);
    writeFileSync(join(dir, "z.yaml"), text.replace("id: lower-committee", "id: Lower Committee"));
    expect(() => loadDeadlines(dir, knowledgeBase())).toThrow(RulesLoadError);
  });
});
