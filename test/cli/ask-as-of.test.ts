// `ask --as-of YYYY-MM-DD` (contract: it fixes the day of a day-dependent answer): accepted, checked, and
// the answer is the same whatever today is.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../support/capture-io.ts";

const Q = "巴中职称网上申报什么时候截止";

describe("ask --as-of", () => {
  it("is accepted, and with it the answer does not depend on today", async () => {
    const a = await cli(["ask", Q, "--as-of", "2024-09-01", "--json"], {}, "2024-09-01T04:00:00Z");
    const b = await cli(["ask", Q, "--as-of", "2024-09-01", "--json"], {}, "2031-06-15T04:00:00Z");
    expect(a.code).toBe(0);
    expect(a.stderr).toBe("");
    expect(a.lines[0]).toMatchObject({ question: Q, grounded: true });
    expect(b.stdout).toBe(a.stdout);
  });

  it("is accepted with --batch", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "zc-asof-")), "q.jsonl");
    writeFileSync(file, `${JSON.stringify({ id: "a", q: Q })}\n`);
    const r = await cli(["ask", "--batch", file, "--as-of", "2024-09-01", "--json"]);
    expect(r.code).toBe(0);
    expect(r.lines).toEqual([expect.objectContaining({ id: "a", question: Q, grounded: true })]);
  });

  it("decides whether the round is over: open on 2024-09-01, closed on the day after its last step", async () => {
    const open = await cli(["ask", Q, "--as-of", "2024-09-01"]);
    expect(open.stdout).toContain("9月20日");
    expect(open.stdout).not.toContain("结束");
    const closed = await cli(["ask", Q, "--as-of", "2024-10-24"]);
    expect(closed.stdout).toContain("9月20日");
    expect(closed.stdout).toContain("该轮申报已于2024年10月23日结束");
    expect(closed.stdout).toContain("没有更新的通知");
  });

  it("without --as-of asks on today (the clock), so the same question reads differently years apart", async () => {
    const then = await cli(["ask", Q, "--json"], {}, "2024-09-01T04:00:00Z");
    const later = await cli(["ask", Q, "--json"], {}, "2031-06-15T04:00:00Z");
    expect(then.lines[0]).toMatchObject({ grounded: true });
    expect(later.lines[0]).toMatchObject({ grounded: true });
    expect(String((later.lines[0] as { answer: string }).answer)).toContain("该轮申报已于2024年10月23日结束");
    expect(String((then.lines[0] as { answer: string }).answer)).not.toContain("结束");
  });

  it("refuses a year no held round covers, and not a year the asker names for themselves", async () => {
    const r = await cli(["ask", "2026年巴中职称什么时候申报", "--as-of", "2026-03-01", "--json"]);
    expect(r.lines[0]).toMatchObject({ grounded: false, citations: [] });
    expect(String((r.lines[0] as { answer: string }).answer)).toContain("没有2026年的申报通知");
    const covered = await cli([
      "ask",
      "2024年浙江人工智能高工下级评委会推荐截止到什么时候",
      "--as-of",
      "2024-09-01",
    ]);
    expect(covered.stdout).toContain("10月23日");
    const own = await cli([
      "ask",
      "我2022年毕业的，巴中评工程师评审费多少钱",
      "--as-of",
      "2024-09-01",
      "--json",
    ]);
    expect(own.lines[0]).toMatchObject({ grounded: true });
    expect(String((own.lines[0] as { answer: string }).answer)).toContain("200元");
  });

  it.each(["2024-02-30", "2024-9-1", "2024/09/01", "明天", ""])(
    "refuses %j in Chinese, naming the option, with exit status 2",
    async (day) => {
      const r = await cli(["ask", Q, "--as-of", day]);
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).toContain("--as-of");
      expect(r.stderr).toMatch(/[\u4e00-\u9fff]/u);
    },
  );
});
