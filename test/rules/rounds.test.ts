// Rounds in time: which notices are rounds, their last step, and their status on the day asked.
import { describe, expect, it } from "vitest";
import { assess } from "../../src/rules/assess.ts";
import { allRoundsClosed, roundOpens, roundStatus } from "../../src/rules/rounds.ts";
import { reportToJsonLine } from "../../src/rules/report-json.ts";
import type { Profile } from "../../src/shared/profile.ts";
import { ruleBook } from "./load-fixtures.ts";

const profile = (p: Profile): Profile => p;

describe("rounds", () => {
  it("are the notices with dated steps; the last step is the last one taken, not a counting date", () => {
    const spans = ruleBook().deadlines.rounds ?? [];
    expect(spans.map((s) => [s.docId, s.opens, s.lastStep]).sort()).toEqual([
      // Bazhong's notice is dated by its year only: the round opened in 2024 at the earliest.
      ["bazhong-digital-2024", "2024-01-01", "2024-10-23"],
      // The qualification cut-off (2024-12-31) is what years are counted to, not a step of the round.
      ["zhejiang-ai-senior-2024", "2024-08-08", "2024-10-23"],
      ["zhejiang-professor-2023", "2023-12-29", "2024-04-10"],
    ]);
  });

  it("are upcoming before the notice, open up to and including the last step, closed after it", () => {
    const span = {
      docId: "x",
      region: "zhejiang",
      levels: ["senior"],
      opens: "2024-08-08",
      lastStep: "2024-10-23",
    } as const;
    expect(roundStatus(span, "2024-08-07")).toBe("upcoming");
    expect(roundStatus(span, "2024-08-08")).toBe("open");
    expect(roundStatus(span, "2024-10-23")).toBe("open");
    expect(roundStatus(span, "2024-10-24")).toBe("closed");
    expect(roundStatus({ ...span, opens: null }, "2000-01-01")).toBe("open");
    expect(roundOpens("2024")).toBe("2024-01-01");
    expect(roundOpens(null)).toBeNull();
  });

  it("are named in the report for the profile's region and level, judged on asOf", () => {
    const book = ruleBook();
    const bz = profile({ region: "sichuan-bazhong", targetLevel: "engineer" });
    expect(assess(book, bz, "2024-09-01").report.rounds).toEqual([
      { docId: "bazhong-digital-2024", status: "open", lastStep: "2024-10-23" },
    ]);
    expect(assess(book, bz, "2024-10-24").report.rounds[0]?.status).toBe("closed");
    const zjProfessor = profile({ region: "zhejiang", targetLevel: "professor" });
    expect(assess(book, zjProfessor, "2023-06-01").report.rounds).toEqual([
      { docId: "zhejiang-professor-2023", status: "upcoming", lastStep: "2024-04-10" },
    ]);
    // A standing measure (Beijing 2020) and the Zhejiang draft are no rounds.
    expect(
      assess(book, profile({ region: "beijing", targetLevel: "senior" }), "2024-09-01").report.rounds,
    ).toEqual([]);
    expect(
      assess(book, profile({ region: "zhejiang", targetLevel: "engineer" }), "2024-09-01").report.rounds,
    ).toEqual([]);
  });

  it("closed on the day asked still explain every criterion, and the JSON carries them", () => {
    const book = ruleBook();
    const p = profile({ region: "zhejiang", targetLevel: "senior", employerType: "private" });
    const { report } = assess(book, p, "2026-06-15");
    expect(allRoundsClosed(report.rounds)).toBe("2024-10-23");
    expect(report.criteria.length).toBeGreaterThan(0);
    expect(report.deadlines).toEqual([]);
    expect(JSON.parse(reportToJsonLine(report))).toEqual(JSON.parse(JSON.stringify(report)));
    expect(reportToJsonLine(report)).toContain(
      '"rounds":[{"docId":"zhejiang-ai-senior-2024","status":"closed"',
    );
  });

  it("are all closed only when there is at least one and none is open or upcoming", () => {
    expect(allRoundsClosed([])).toBeUndefined();
    expect(
      allRoundsClosed([
        { docId: "a", status: "closed", lastStep: "2024-04-10" },
        { docId: "b", status: "open", lastStep: "2024-10-23" },
      ]),
    ).toBeUndefined();
    expect(
      allRoundsClosed([
        { docId: "a", status: "closed", lastStep: "2024-04-10" },
        { docId: "b", status: "closed", lastStep: "2024-10-23" },
      ]),
    ).toBe("2024-10-23");
  });
});
