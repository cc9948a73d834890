// Deadlines: filters, order, working-day arithmetic (holidays and make-up days) and the iCalendar export.
import { describe, expect, it } from "vitest";
import { listDeadlines } from "../../src/rules/deadlines.ts";
import { toIcs } from "../../src/rules/ics.ts";
import { workingDaysBefore } from "../../src/rules/working-days.ts";
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

  it("ends a publicity period on the last working day before the submission day, not on it", () => {
    // Bazhong 四、(二)6.: submission by Wednesday 2024-10-23; 10-16, 17, 18, 21 and 22 are the five days.
    expect(workingDaysBefore("2024-10-23", 5)).toEqual({ start: "2024-10-16", end: "2024-10-22" });
    // A submission day that is not a working day (Sunday 10-20) changes nothing: Friday ends it.
    expect(workingDaysBefore("2024-10-20", 1)).toEqual({ start: "2024-10-18", end: "2024-10-18" });
  });

  it("counts holidays out and 调休 make-up working days in", () => {
    // Mid-Autumn 09-15..17 off; Saturday 09-14 a make-up working day: 09-19, 18, 14, 13, 12.
    expect(workingDaysBefore("2024-09-20", 5)).toEqual({ start: "2024-09-12", end: "2024-09-19" });
    // National Day 10-01..07 off; Sunday 09-29 a make-up working day: 09-30, 29, 27, 26, 25.
    expect(workingDaysBefore("2024-10-08", 5)).toEqual({ start: "2024-09-25", end: "2024-09-30" });
    // Submission inside the holiday: the period still ends before it, on 09-30.
    expect(workingDaysBefore("2024-10-05", 5)).toEqual({ start: "2024-09-25", end: "2024-09-30" });
    // Spring Festival 2024: 02-10..17 off, Sunday 02-18 a make-up working day: before Monday 02-19
    // come 02-18, 02-09, 02-08, 02-07 and 02-06.
    expect(workingDaysBefore("2024-02-19", 5)).toEqual({ start: "2024-02-06", end: "2024-02-18" });
    expect(() => workingDaysBefore("2024-10-23", 0)).toThrow(RangeError);
  });

  it("tells the employer when to start the publicity, and why the submission day does not count", () => {
    const bazhong = listDeadlines(book(), { region: "sichuan-bazhong" }).find(
      (d) => d.date === "2024-10-23" && d.time === "18:00",
    );
    expect(bazhong?.what).toContain("chinese-days");
    expect(bazhong?.what).toContain("截止当天不能算作公示日");
    expect(bazhong?.what).toContain("最迟应于2024-10-16开始");
    expect(bazhong?.what).toContain("应在2024-10-22（截止日前最后一个工作日）结束");
    const zhejiang = listDeadlines(book(), { region: "zhejiang", level: "senior" }).find(
      (d) => d.date === "2024-09-20",
    );
    expect(zhejiang?.what).toContain("最迟应于2024-09-12开始");
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
