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
