// Level names: longest match, so 工程师 inside 高级工程师 is not the engineer level.
import { describe, expect, it } from "vitest";
import { LEVELS } from "../../src/shared/domain.ts";
import { retriever } from "./fixture.ts";

const { tokenizer } = retriever;
const levelsOf = (text: string): string[] => LEVELS.filter((_, i) => (tokenizer.levels.mask(text) >> i) & 1);

describe("LevelDetector", () => {
  it("reads each level name once, longest first", () => {
    expect(levelsOf("高级工程师")).toEqual(["senior"]);
    expect(levelsOf("正高级工程师")).toEqual(["professor"]);
    expect(levelsOf("助理工程师")).toEqual(["assistant"]);
    expect(levelsOf("硕士毕业几年能评中级工程师")).toEqual(["engineer"]);
    expect(levelsOf("申报技术员、助理工程师职称")).toEqual(["technician", "assistant"]);
    expect(levelsOf("副高评完几年可以申报正高")).toEqual(["senior", "professor"]);
    expect(levelsOf("评审程序有哪些")).toEqual([]);
  });

  it("takes a heading that is only a level name as a scope, not one that mentions a level", () => {
    expect(tokenizer.levels.headingLevel("二、工程师")).not.toBe(0);
    expect(tokenizer.levels.headingLevel("(四)具备下列条件之一,破格申报高级工程师:")).toBe(0);
  });
});

describe("Tokenizer level words", () => {
  it("does not find the engineer level inside a longer level name", () => {
    expect(tokenizer.words("高级工程师")).not.toContain("工程师");
    expect(tokenizer.words("正高级工程师")).not.toContain("高级工程师");
    expect(tokenizer.words("助理工程师")).not.toContain("工程师");
    expect(tokenizer.words("申报工程师职称")).toContain("工程师");
  });

  it("keeps parts that name the same level (高级职称 in 副高级职称)", () => {
    expect(tokenizer.words("取得副高级职称后")).toContain("高级职称");
  });
});
