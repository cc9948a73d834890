// `ingest`: a new notice is a data change — validated, segmented, indexed, its dates proposed as deadlines.
import { cpSync, existsSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../support/capture-io.ts";
import { KNOWLEDGE_DIR, PROJECT_ROOT } from "../support/paths.ts";

const NOTICE = `关于开展2025年度人工智能专业测试评审工作的通知

一、申报对象
本省从事人工智能工作的专业技术人员。
二、时间安排
（一）网上申报截止时间为2025年9月
5日，单位推荐截止时间为9月19日。
（二）评审费200元/人。
`;

function tempKnowledge(): string {
  const dir = mkdtempSync(join(tmpdir(), "zc-kb-"));
  cpSync(KNOWLEDGE_DIR, dir, { recursive: true });
  return dir;
}

describe("ingest", () => {
  it("adds a notice, prints its dates as proposed deadlines, and makes it answerable", async () => {
    const kb = tempKnowledge();
    const file = join(mkdtempSync(join(tmpdir(), "zc-in-")), "n.txt");
    writeFileSync(file, NOTICE);
    const env = { KNOWLEDGE_DIR: kb };
    const args = [
      "ingest",
      file,
      "--id",
      "test-ai-2025",
      "--title",
      "关于开展2025年度人工智能专业测试评审工作的通知",
    ];
    const r = await cli(
      [...args, "--region", "zhejiang", "--levels", "senior", "--date", "2025-08-01", "--json"],
      env,
    );
    expect(r.code).toBe(0);
    const out = r.lines[0] as { clauses: number; proposedDeadlines: Array<{ date: string; path: string }> };
    expect(out.clauses).toBe(5);
    expect(out.proposedDeadlines.map((d) => [d.date, d.path])).toEqual([
      ["2025-09-05", "二、(一)"],
      ["2025-09-19", "二、(一)"],
    ]);
    expect(readFileSync(join(kb, "notices", "test-ai-2025.txt"), "utf8")).toBe(NOTICE);
    // The date broken across lines ("2025年9月⏎5日") is one sentence again in the clause.
    expect(out.proposedDeadlines[0]).toMatchObject({
      sentence: expect.stringContaining("2025年9月5日") as unknown,
    });
    const meta = JSON.parse(readFileSync(join(kb, "notices", "test-ai-2025.json"), "utf8")) as Record<
      string,
      unknown
    >;
    expect(meta).toMatchObject({
      docId: "test-ai-2025",
      region: "zhejiang",
      levels: ["senior"],
      date: "2025-08-01",
    });

    const found = await cli(["ask", "浙江人工智能专业测试评审的评审费多少", "--json"], env);
    expect(found.lines[0]).toMatchObject({ grounded: true });
    const first = (found.lines[0]!.citations as Array<{ clauseId: string }>)[0];
    expect(first?.clauseId).toBe("test-ai-2025:二、(二)");
  });

  it("reads a .docx notice through mammoth", async () => {
    const kb = tempKnowledge();
    const docx = join(PROJECT_ROOT, "test/fixtures/notice.docx");
    const r = await cli(
      [
        "ingest",
        docx,
        "--id",
        "docx-ai-2025",
        "--title",
        "测试",
        "--region",
        "zhejiang",
        "--levels",
        "senior",
        "--json",
      ],
      { KNOWLEDGE_DIR: kb },
    );
    expect(r.code).toBe(0);
    const out = r.lines[0] as { clauses: number; proposedDeadlines: Array<{ date: string; path: string }> };
    expect(out.clauses).toBe(5);
    expect(out.proposedDeadlines).toMatchObject([{ date: "2025-09-05", path: "二、(一)" }]);
    expect(readFileSync(join(kb, "notices", "docx-ai-2025.txt"), "utf8")).toContain("（二）评审费200元/人。");
  });

  it("refuses invalid metadata naming the field, and writes nothing", async () => {
    const kb = tempKnowledge();
    const file = join(mkdtempSync(join(tmpdir(), "zc-in-")), "n.txt");
    writeFileSync(file, NOTICE);
    const r = await cli(
      ["ingest", file, "--id", "Bad Id", "--title", "t", "--region", "mars", "--levels", "senior"],
      {
        KNOWLEDGE_DIR: kb,
      },
    );
    expect(r.code).not.toBe(0);
    expect(r.stderr).toMatch(/docId|region/);
    expect(existsSync(join(kb, "notices", "Bad Id.txt"))).toBe(false);
  });

  it("refuses to overwrite an existing notice", async () => {
    const kb = tempKnowledge();
    const file = join(mkdtempSync(join(tmpdir(), "zc-in-")), "n.txt");
    writeFileSync(file, NOTICE);
    const r = await cli(
      [
        "ingest",
        file,
        "--id",
        "beijing-ai-title-2020",
        "--title",
        "t",
        "--region",
        "beijing",
        "--levels",
        "senior",
      ],
      { KNOWLEDGE_DIR: kb },
    );
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/已存在/);
  });
});
