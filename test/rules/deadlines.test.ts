// Deadlines: filters, order, working-day arithmetic (holidays and make-up days) and the iCalendar export.
import { describe, expect, it } from "vitest";
import { listDeadlines } from "../../src/rules/deadlines.ts";
import { toIcs } from "../../src/rules/ics.ts";
import { latestStartForWorkingDays } from "../../src/rules/working-days.ts";
import { knowledgeBase, ruleBook } from "./load-fixtures.ts";

const book = () => ruleBook().deadlines;

describe("deadlines", () => {
  it("holds every dated step of the three rounds, each citing a clause of its own notice", () => {
    const all = listDeadlines(book());
    expect(all.filter((d) => d.docId === "zhejiang-ai-senior-2024").map((d) => d.date)).toEqual([
      "2024-07-31",
      "2024-09-06",
      "2024-09-20",
      "2024-10-23",
      "2024-12-31",
    ]);
    expect(all.filter((d) => d.docId === "zhejiang-professor-2023").map((d) => d.date)).toEqual([
      "2024-03-08",
      "2024-03-21",
      "2024-04-10",
    ]);
    expect(all.filter((d) => d.docId === "bazhong-digital-2024")).toHaveLength(9);
    for (const d of all) {
      expect(d.citation.docId).toBe(d.docId);
      expect(knowledgeBase().clause(d.citation.clauseId)?.text).toBe(d.citation.text);
      expect(d.who).toBeTruthy();
    }
  });

  it("keeps times as printed and orders soonest first", () => {
    const bz = listDeadlines(book(), { region: "sichuan-bazhong" });
    expect(bz.filter((d) => d.time === "24:00").map((d) => d.date)).toEqual([
      "2024-09-20",
      "2024-09-20",
      "2024-09-27",
      "2024-09-29",
    ]);
    const keys = bz.map((d) => `${d.date} ${d.time ?? ""}`);
    expect([...keys].sort()).toEqual(keys);
  });

  it("filters by region, level and date (on or after)", () => {
    expect(listDeadlines(book(), { region: "beijing" })).toEqual([]);
    expect(
      listDeadlines(book(), { region: "zhejiang", level: "professor" }).every(
        (d) => d.docId === "zhejiang-professor-2023",
      ),
    ).toBe(true);
    const after = listDeadlines(book(), { after: "2024-10-23" });
    expect(after.map((d) => d.date)).toEqual([
      "2024-10-23",
      "2024-10-23",
      "2024-10-23",
      "2024-12-31",
      "2024-12-31",
    ]);
  });

  it("counts publicity in working days with holidays and 调休 make-up days, and says so", () => {
    // 2024-09-14 (Saturday) was a make-up working day for the Mid-Autumn holiday of 09-15..17.
    expect(latestStartForWorkingDays("2024-09-20", 5)).toBe("2024-09-13");
    // National Day 10-01..07: 10-08, 09-30, 09-29 (a make-up Sunday), 09-27, 09-26 are the five working days.
    expect(latestStartForWorkingDays("2024-10-08", 5)).toBe("2024-09-26");
    const step = listDeadlines(book(), { region: "zhejiang", level: "senior" }).find(
      (d) => d.date === "2024-09-20",
    );
    expect(step?.what).toContain("chinese-days");
    expect(step?.what).toContain("2024-09-13");
  });

  it("exports a valid iCalendar file: one VEVENT per step, 24:00 Shanghai as 16:00Z, all-day otherwise", () => {
    const steps = listDeadlines(book(), { region: "sichuan-bazhong" });
    const ics = toIcs(steps);
    expect(ics.startsWith("BEGIN:VCALENDAR")).toBe(true);
    expect(ics.trimEnd().endsWith("END:VCALENDAR")).toBe(true);
    expect(ics).toContain("VERSION:2.0");
    expect(ics.match(/BEGIN:VEVENT/g)).toHaveLength(steps.length);
    expect(ics).toContain("DTSTART:20240920T160000Z");
    expect(ics).toContain("DTSTART:20241023T100000Z");
    expect(ics).toContain("DTSTART;VALUE=DATE:20241231");
    expect(toIcs(steps)).toBe(ics);
    expect(toIcs([])).toContain("BEGIN:VCALENDAR");
  });
});
