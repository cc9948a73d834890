// Property tests: the parsers never throw, stay within the input cap, and normalisation is idempotent.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { extractFacts } from "../../src/dialogs/parse/extract-facts.ts";
import { detectIntent } from "../../src/dialogs/intent.ts";
import { MAX_INPUT_CHARS, normalizeInput } from "../../src/dialogs/parse/normalize-input.ts";
import { arabicNumerals, parseDurationMonths } from "../../src/dialogs/parse/numerals.ts";
import { parseYearMonth } from "../../src/dialogs/parse/year-month.ts";

const chatText = fc.oneof(
  fc.string({ unit: "grapheme", maxLength: 200 }),
  fc.string({ unit: "binary", maxLength: 200 }),
  fc
    .array(
      fc.constantFrom(
        ..."北京硕士2019年7月毕业一直做AI能评高工吗五两十二〇半前去年，。？ \u200b\u0000１２<>*_",
      ),
      { maxLength: 80 },
    )
    .map((a) => a.join("")),
);

describe("parser properties", () => {
  it("never throws and always stays within the cap", () => {
    fc.assert(
      fc.property(
        chatText,
        fc.constantFrom(undefined, "graduated", "awards", "achievements", "currentTitle"),
        (raw, pending) => {
          const text = normalizeInput(raw);
          expect(text.length).toBeLessThanOrEqual(MAX_INPUT_CHARS);
          extractFacts(text, { today: "2024-08-15", pending, profile: {} });
          detectIntent(text);
          parseYearMonth(text, "2024-08-15");
          parseDurationMonths(text);
        },
      ),
      { numRuns: 2000, seed: 42 },
    );
  });

  it("normalises idempotently", () => {
    fc.assert(
      fc.property(chatText, (raw) => {
        const once = normalizeInput(raw);
        expect(normalizeInput(once)).toBe(once);
        expect(arabicNumerals(arabicNumerals(once))).toBe(arabicNumerals(once));
      }),
      { numRuns: 2000, seed: 7 },
    );
  });

  it("reads a 100 KB message through the cap (bounded by the test timeout, not timed)", () => {
    const big = "北京硕士2019年7月毕业".repeat(10_000) + "五".repeat(10_000);
    const text = normalizeInput(big);
    expect(text.length).toBeLessThanOrEqual(MAX_INPUT_CHARS);
    expect(extractFacts(text, { today: "2024-08-15", profile: {} }).facts.region).toBe("beijing");
  }, 10_000);

  it("generated dates come back as written", () => {
    fc.assert(
      fc.property(fc.integer({ min: 1960, max: 2030 }), fc.integer({ min: 1, max: 12 }), (y, m) => {
        const want = `${y}-${String(m).padStart(2, "0")}`;
        for (const form of [`${y}年${m}月`, `${y}.${m}`, `${y}-${String(m).padStart(2, "0")}`, `${y}/${m}`]) {
          expect(parseYearMonth(normalizeInput(form), "2024-08-15")).toEqual({ kind: "month", value: want });
        }
      }),
      { numRuns: 300, seed: 1 },
    );
  });
});
