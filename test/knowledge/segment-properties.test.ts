// fast-check properties of the whitespace normaliser and the segmenter on arbitrary, messy text.
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { foldForMatch, normalizeWhitespace } from "../../src/knowledge/normalize-text.ts";
import { segmentNotice } from "../../src/knowledge/segment-notice.ts";

// Pieces real extractions are made of: outline markers, page marks, markup, breaks, mixed widths.
const piece = fc.oneof(
  fc.constantFrom(
    "一、",
    "（二）",
    "(三)",
    "1.",
    "（4）",
    "(5)",
    "附件",
    "附件：",
    "— 3 —",
    "[bookmark: _GoBack]",
    "- ",
  ),
  fc.constantFrom("\n", "\n\n", " ", "\u3000", "\u200b", "\t", "。", "；", "，", "：", "、"),
  fc.constantFrom(
    "高级工程师",
    "师和",
    "2024 年 9",
    "月 6日",
    "申报条件",
    "继续教育",
    "ＡＢＣ１２３",
    "😀",
    "\u0007",
  ),
  fc.string({ maxLength: 20 }),
);
const messyText = fc.array(piece, { maxLength: 80 }).map((parts) => parts.join(""));

describe("normaliser properties", () => {
  it("is idempotent and leaves no double or CJK-adjacent spaces", () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 300 }), messyText, (a, b) => {
        for (const s of [a, b]) {
          const once = normalizeWhitespace(s);
          expect(normalizeWhitespace(once)).toBe(once);
          expect(once).not.toMatch(/\s{2}|^\s|\s$/);
          expect(once).not.toMatch(/[\u4e00-\u9fff]\s|\s[\u4e00-\u9fff]/);
          expect(foldForMatch(foldForMatch(s))).toBe(foldForMatch(s));
        }
      }),
      { numRuns: 500 },
    );
  });
});

describe("segmenter properties", () => {
  it("never throws, yields unique ids and offsets inside the source, in order", () => {
    fc.assert(
      fc.property(messyText, (source) => {
        const clauses = segmentNotice("fuzz", source);
        const ids = clauses.map((c) => c.clauseId);
        expect(new Set(ids).size).toBe(ids.length);
        let last = 0;
        for (const c of clauses) {
          expect(c.start).toBeGreaterThanOrEqual(last);
          expect(c.end).toBeGreaterThan(c.start);
          expect(c.end).toBeLessThanOrEqual(source.length);
          expect(c.text.length).toBeGreaterThan(0);
          expect(c.text).not.toMatch(/bookmark:/);
          last = c.start;
        }
      }),
      { numRuns: 500 },
    );
  });

  it("is deterministic", () => {
    fc.assert(
      fc.property(messyText, (source) => {
        expect(segmentNotice("fuzz", source)).toEqual(segmentNotice("fuzz", source));
      }),
      { numRuns: 200 },
    );
  });

  it("finishes quickly on a 100 KB text without line breaks", () => {
    const huge = "申报条件，".repeat(20_000);
    const clauses = segmentNotice("huge", huge);
    expect(clauses).toHaveLength(1);
  });
});
