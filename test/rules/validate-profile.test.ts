// Profile validation: shape errors and cross-field checks name the field, in Chinese.
import { describe, expect, it } from "vitest";
import { assessProfile } from "../../src/rules/assess.ts";
import { validateProfile } from "../../src/rules/validate-profile.ts";
import { ruleBook } from "./load-fixtures.ts";

const ok = { id: "p1", region: "beijing", targetLevel: "engineer", graduated: "2020-07", asOf: "2024-12-31" };

function errorOf(raw: unknown, today = "2024-12-31") {
  const v = validateProfile(raw, today);
  if (v.ok) throw new Error("expected an error");
  return v;
}

describe("validateProfile", () => {
  it("accepts a valid profile and takes asOf from it, else from today", () => {
    const v = validateProfile(ok, "2030-01-01");
    expect(v.ok && v.asOf).toBe("2024-12-31");
    const { asOf: _a, ...noAsOf } = ok;
    const w = validateProfile(noAsOf, "2025-03-01");
    expect(w.ok && w.asOf).toBe("2025-03-01");
  });

  it("rejects a graduation month after asOf", () => {
    const e = errorOf({ ...ok, graduated: "2025-01" });
    expect(e.error).toMatchObject({ code: "date_after_as_of", field: "graduated" });
    expect(e.error.message).toContain("晚于");
    expect(e.id).toBe("p1");
  });

  it("accepts a title obtained before the graduation it names (a degree taken in service)", () => {
    const inService = { ...ok, currentTitle: { level: "assistant", obtained: "2019-07" } };
    const v = validateProfile(inService, "2024-12-31");
    expect(v.ok && v.profile.currentTitle).toEqual({ level: "assistant", obtained: "2019-07" });
  });

  it("still rejects a title obtained after asOf", () => {
    const e = errorOf({ ...ok, currentTitle: { level: "assistant", obtained: "2025-01" } });
    expect(e.error).toMatchObject({ code: "date_after_as_of", field: "currentTitle.obtained" });
  });

  it("rejects a negative count, naming the field", () => {
    expect(errorOf({ ...ok, achievements: -1 }).error).toMatchObject({
      code: "invalid_profile",
      field: "achievements",
    });
  });

  it("rejects an unknown region and an impossible asOf", () => {
    expect(errorOf({ ...ok, region: "shanghai" }).error.field).toBe("region");
    expect(errorOf({ ...ok, asOf: "2024-02-30" }).error).toMatchObject({
      code: "invalid_date",
      field: "asOf",
    });
  });

  it("explains every rejected field in Chinese, zod's own checks included", () => {
    const bad = [
      { ...ok, region: "shanghai" },
      { ...ok, targetLevel: "chief" },
      { ...ok, achievements: -1 },
      { ...ok, achievements: "three" },
      { ...ok, graduated: "2020" },
      { ...ok, awards: [{ kind: "nobel", rank: 1 }] },
    ];
    for (const profile of bad) {
      const { message } = errorOf(profile).error;
      expect(message).toMatch(/[\u4e00-\u9fff]{2}.*：[^：]*[\u4e00-\u9fff]/u);
      expect(message).not.toMatch(/\b(Invalid|expected|Too small|received)\b/);
    }
  });

  it("rejects what is not an object", () => {
    expect(errorOf("hello").error.code).toBe("invalid_profile");
    expect(errorOf([1]).error.code).toBe("invalid_profile");
  });

  it("assessProfile echoes the id on reports and on errors", () => {
    expect(assessProfile(ruleBook(), ok, "2024-12-31")).toMatchObject({ id: "p1", verdict: "undetermined" });
    expect(assessProfile(ruleBook(), { ...ok, graduated: "2026-01" }, "2024-12-31")).toMatchObject({
      id: "p1",
      error: { code: "date_after_as_of" },
    });
  });
});
