// iCalendar: VALARM reminders at the chat reminders' instants, stable UIDs, and lines folded at 75 octets (RFC 5545
// 3.1) without splitting a UTF-8 character.
import { describe, expect, it } from "vitest";
import { listDeadlines } from "../../src/rules/deadlines.ts";
import { foldIcsLines, MAX_LINE_OCTETS, toIcs } from "../../src/rules/ics.ts";
import { ruleBook } from "../rules/load-fixtures.ts";

const unfold = (text: string) => text.replace(/\r\n[ \t]/g, "");
const events = (ics: string) => unfold(ics).split("BEGIN:VEVENT").slice(1);

describe("iCalendar feed", () => {
  const all = listDeadlines(ruleBook().deadlines);
  const ics = toIcs(all);

  it("keeps every line within 75 octets, each a whole run of UTF-8 characters", () => {
    const lines = ics.split("\r\n");
    expect(lines.length).toBeGreaterThan(50);
    for (const line of lines) {
      const bytes = Buffer.from(line, "utf8");
      expect(bytes.length).toBeLessThanOrEqual(MAX_LINE_OCTETS);
      // A split character would not survive the round trip (its bytes would become U+FFFD).
      expect(bytes.toString("utf8")).toBe(line);
      expect(line).not.toContain("\uFFFD");
    }
    // Long Chinese descriptions do fold, and unfold to the clause text intact.
    expect(lines.filter((l) => l.startsWith(" ")).length).toBeGreaterThan(20);
    expect(unfold(ics)).toContain("2.个人初次提交截止时间：2024年9月20日24:00。");
  });

  it("folds by octets, not characters: 30 Chinese characters after a 12-octet name make two lines", () => {
    const line = `DESCRIPTION:${"职".repeat(30)}`; // 12 + 90 octets
    const folded = foldIcsLines(`${line}\r\n`).split("\r\n");
    expect(folded.map((l) => Buffer.byteLength(l))).toEqual([75, 1 + 27, 0]);
    expect(unfold(folded.join("\r\n"))).toBe(`${line}\r\n`);
    // Already-folded input (by characters) is refolded, not folded twice.
    expect(foldIcsLines(folded.join("\r\n"))).toBe(folded.join("\r\n"));
    // ASCII folds at exactly 75.
    expect(
      foldIcsLines("X".repeat(150))
        .split("\r\n")
        .map((l) => l.length),
    ).toEqual([75, 75, 2]);
  });

  it("has a VALARM per reminder at 09:00 Shanghai on the working days the chat reminders use", () => {
    // Individual revision, 2024-10-20 18:00 (10:00Z): slots 09-30, 10-12, 10-17 and 10-18 (1 day and the day merged).
    const revision = events(ics).find((e) =>
      e.includes("UID:bazhong-digital-2024/individual-revision@zhicheng"),
    );
    expect(revision).toBeDefined();
    const triggers = [...(revision ?? "").matchAll(/TRIGGER:(\S+)/g)].map((m) => m[1]);
    // 10-20 18:00 minus 09-30 09:00 = 20 days 9 hours; 10-12 09:00: 8d9h; 10-17: 3d9h; 10-18: 2d9h.
    expect(triggers).toEqual(["-P20DT9H", "-P8DT9H", "-P3DT9H", "-P2DT9H"]);
    // An untimed deadline starts at 00:00: its day-of reminder is 9 hours after the start.
    const online = events(ics).find((e) =>
      e.includes("UID:bazhong-digital-2024/online-application@zhicheng"),
    );
    expect([...(online ?? "").matchAll(/TRIGGER:(\S+)/g)].map((m) => m[1])).toEqual([
      "-P13DT15H",
      "-P6DT15H",
      "-P5DT15H", // 09-17 (Mid-Autumn) moved to the 调休 Saturday 09-14
      "-PT15H",
      "PT9H",
    ]);
  });

  it("gives each event its deadline's stable id as UID", () => {
    const uids = [...unfold(ics).matchAll(/^UID:(.+)$/gm)].map((m) => m[1]);
    expect(uids).toHaveLength(all.length);
    expect(new Set(uids).size).toBe(all.length);
    expect(uids).toContain("zhejiang-ai-senior-2024/individual-online@zhicheng");
  });
});
