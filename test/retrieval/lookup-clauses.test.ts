// Hotline lookup: references put their clause first; keywords and phrases rank clauses.
import { describe, expect, it } from "vitest";
import { foldReference, lookupClauses } from "../../src/retrieval/lookup-clauses.ts";
import { kb, retriever } from "./fixture.ts";

const deps = { kb, retriever };

describe("lookupClauses", () => {
  const references = [
    "京人社事业发〔2020〕30号 附件 三(四)",
    "京人社事业发[2020]30号 附件三、(四)",
    "beijing-ai-title-2020 附件三、（四）",
    "beijing-ai-title-2020:附件三、(四)",
  ];
  for (const q of references) {
    it(`puts the referenced clause first: ${q}`, () => {
      const r = lookupClauses(q, deps, 5);
      expect(r.query).toBe(q);
      expect(r.clauses[0]?.clauseId).toBe("beijing-ai-title-2020:附件三、(四)");
      // The items under it follow.
      expect(r.clauses[1]?.clauseId).toBe("beijing-ai-title-2020:附件三、(四)1.");
    });
  }

  it("finds 破格 by keyword, best first, with scores descending", () => {
    const r = lookupClauses("破格", deps, 5);
    expect(r.clauses[0]?.text).toContain("破格");
    const scores = r.clauses.map((c) => c.score);
    expect([...scores].sort((a, b) => b - a)).toEqual(scores);
  });

  it("ranks a clause holding an exact phrase first", () => {
    const r = lookupClauses("不再进行复议", deps, 3);
    expect(r.clauses[0]?.clauseId).toBe("bazhong-digital-2024:三、(六)");
  });

  it("respects the limit and survives an empty query", () => {
    expect(lookupClauses("评审", deps, 2).clauses).toHaveLength(2);
    expect(lookupClauses("   ", deps, 5).clauses).toEqual([]);
  });

  it("folds reference punctuation leniently", () => {
    expect(foldReference("附件 三、（四）")).toBe(foldReference("附件三(四)"));
    expect(foldReference("〔2020〕")).toBe(foldReference("[2020]"));
  });
});
