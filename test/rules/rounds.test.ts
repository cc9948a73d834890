// Rounds in time: which notices are rounds, their last step, and their status on the day asked.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadDeadlines, loadRoundSpans } from "../../src/rules/deadlines.ts";
import { assess } from "../../src/rules/assess.ts";
import { roundOpens, roundStatus } from "../../src/rules/rounds.ts";
import { allRoundsClosed } from "../../src/shared/report.ts";
import { reportToJsonLine } from "../../src/rules/report-json.ts";
import { renderReport } from "../../src/cli/render-text.ts";
import type { Profile } from "../../src/shared/profile.ts";
import { knowledgeBase, ruleBook } from "./load-fixtures.ts";

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
    expect(roundOpens("2024-08")).toBe("2024-08-01");
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

  it("closed, are said first in the text report, which still lists every criterion; open, are only listed", () => {
    const book = ruleBook();
    const p = profile({ region: "sichuan-bazhong", targetLevel: "engineer", education: "master" });
    const closed = renderReport(assess(book, p, "2025-03-01").report);
    expect(closed.split("\n")[2]).toBe(
      "该轮申报已于2024年10月23日结束，我的资料中没有更新的通知（下一轮的时间以新发布的通知为准）。",
    );
    expect(closed).toContain("下一轮申报很可能沿用");
    expect(closed).toContain("直接申报工程师：具备硕士学位或第二学士学位");
    expect(closed).toContain("：已结束（最后节点 2024-10-23）");
    const open = renderReport(assess(book, p, "2024-09-01").report);
    expect(open).not.toContain("该轮申报已于");
    expect(open).toContain("：进行中（最后节点 2024-10-23）");
    expect(
      renderReport(assess(book, profile({ region: "beijing", targetLevel: "senior" }), "2030-01-01").report),
    ).not.toContain("申报轮次");
  });

  it("need a step that is not a counting date; a round file may set its opening day", () => {
    const dir = mkdtempSync(join(tmpdir(), "zc-rounds-"));
    const round = (extra: string, countsTo: boolean) =>
      `id: r\ndocId: zhejiang-ai-senior-2024\nregion: zhejiang\nlevels: [senior]\n${extra}steps:\n` +
      `  - id: s\n    date: "2024-12-31"\n    what: 资历计算截止\n    who: 申报人\n` +
      `    clause: "zhejiang-ai-senior-2024:二、(四)"\n${countsTo ? "    countsTo: true\n" : ""}`;
    writeFileSync(join(dir, "r.yaml"), round("", true));
    expect(() => loadDeadlines(dir, knowledgeBase())).toThrow(/countsTo/);
    writeFileSync(join(dir, "r.yaml"), round('opens: "2024-09-01"\n', false));
    expect(loadRoundSpans(dir, knowledgeBase())).toEqual([
      expect.objectContaining({ opens: "2024-09-01", lastStep: "2024-12-31" }),
    ]);
    expect(loadRoundSpans(join(dir, "absent"), knowledgeBase())).toEqual([]);
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
