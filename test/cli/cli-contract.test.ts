// The public CLI contract: JSON-only output, batch order and ids, per-line errors, exit codes.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../support/capture-io.ts";

function tempFile(name: string, content: string): string {
  const file = join(mkdtempSync(join(tmpdir(), "zc-cli-")), name);
  writeFileSync(file, content);
  return file;
}

describe("ask", () => {
  it("answers with citations as JSON only", async () => {
    const r = await cli(["ask", "巴中职称网上申报什么时候截止", "--json"]);
    expect(r.code).toBe(0);
    expect(r.lines).toHaveLength(1);
    const answer = r.lines[0]!;
    expect(answer.grounded).toBe(true);
    expect(answer.question).toBe("巴中职称网上申报什么时候截止");
    const citations = answer.citations as Array<Record<string, string>>;
    expect(citations[0]).toMatchObject({ docId: "bazhong-digital-2024" });
    expect(Object.keys(citations[0]!).sort()).toEqual(["clauseId", "docId", "path", "text", "title"]);
  });

  it("keeps order and ids in a batch and gives bad lines a per-line error", async () => {
    const file = tempFile(
      "q.jsonl",
      [
        JSON.stringify({ id: "a", q: "北京的职称证书由哪个部门颁发" }),
        "{not json",
        JSON.stringify({ id: "b", q: "   " }),
        "",
        JSON.stringify({ id: 7, q: "红烧肉怎么做" }),
      ].join("\n"),
    );
    const r = await cli(["ask", "--batch", file, "--json"]);
    expect(r.code).toBe(0);
    expect(r.lines.map((l) => l.id)).toEqual(["a", undefined, "b", 7]);
    expect(r.lines[1]).toMatchObject({ error: { code: "invalid_json" } });
    expect((r.lines[2]!.error as { message: string }).message).toMatch(/[\u4e00-\u9fff]/);
    expect(r.lines[3]).toMatchObject({ grounded: false });
  });

  it("exits non-zero when the command itself cannot run", async () => {
    expect((await cli(["ask", "--batch", "/nonexistent/file.jsonl", "--json"])).code).not.toBe(0);
    expect((await cli(["frobnicate"])).code).toBe(2);
    expect((await cli(["ask", "--bogus"])).code).toBe(2);
  });
});

describe("clause", () => {
  it("finds a clause by reference first", async () => {
    const r = await cli(["clause", "京人社事业发〔2020〕30号 附件 三(四)", "--json", "--limit", "3"]);
    const clauses = (r.lines[0]!.clauses as Array<Record<string, unknown>>) ?? [];
    expect(clauses.length).toBeLessThanOrEqual(3);
    expect(clauses[0]).toMatchObject({ clauseId: "beijing-ai-title-2020:附件三、(四)" });
    expect(typeof clauses[0]!.score).toBe("number");
  });

  it("rejects a bad --limit with a Chinese message", async () => {
    const r = await cli(["clause", "破格", "--limit", "0"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/limit/);
  });
});

describe("check", () => {
  it("reports on a profile file", async () => {
    const file = tempFile(
      "p.json",
      JSON.stringify({
        id: "p1",
        region: "sichuan-bazhong",
        targetLevel: "engineer",
        employerType: "retired",
        asOf: "2024-09-01",
      }),
    );
    const r = await cli(["check", "--profile", file, "--json"]);
    expect(r.lines[0]).toMatchObject({ id: "p1", verdict: "ineligible" });
  });

  it("streams a batch with per-line errors naming the field", async () => {
    const file = tempFile(
      "b.jsonl",
      [
        JSON.stringify({
          id: "ok",
          region: "beijing",
          targetLevel: "assistant",
          education: "master",
          graduated: "2024-07",
        }),
        JSON.stringify({ id: "bad-region", region: "mars", targetLevel: "senior" }),
        JSON.stringify({ id: "neg", region: "beijing", targetLevel: "senior", achievements: -1 }),
        "[]",
      ].join("\n"),
    );
    const r = await cli(["check", "--batch", file, "--json"]);
    expect(r.lines.map((l) => l.id)).toEqual(["ok", "bad-region", "neg", undefined]);
    expect(r.lines[0]!.verdict).toBeDefined();
    expect(JSON.stringify(r.lines[1]!.error)).toMatch(/region/);
    expect(JSON.stringify(r.lines[2]!.error)).toMatch(/achievements/);
    expect(r.lines[3]).toHaveProperty("error");
  });
});

describe("deadlines", () => {
  it("filters by region and date, soonest first", async () => {
    const r = await cli(["deadlines", "--region", "sichuan-bazhong", "--after", "2024-09-21", "--json"]);
    const list = r.lines[0]!.deadlines as Array<{ date: string; region: string }>;
    expect(list.length).toBeGreaterThan(0);
    expect(list.every((d) => d.region === "sichuan-bazhong" && d.date >= "2024-09-21")).toBe(true);
    expect(list.map((d) => d.date)).toEqual([...list.map((d) => d.date)].sort());
  });

  it("writes a valid iCalendar file", async () => {
    const r = await cli(["deadlines", "--region", "zhejiang", "--ics"]);
    expect(r.stdout).toMatch(/^BEGIN:VCALENDAR/);
    expect(r.stdout).toMatch(/END:VCALENDAR\s*$/);
    expect(r.stdout).toMatch(/BEGIN:VEVENT/);
  });

  it("rejects an unknown region", async () => {
    const r = await cli(["deadlines", "--region", "shanghai"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/region/);
  });
});

describe("serve", () => {
  it("builds the knowledge before listening: a broken knowledge directory stops it at start", async () => {
    // Were the notices loaded on the first request instead, `serve` would start listening and never return.
    const empty = mkdtempSync(join(tmpdir(), "zc-empty-kb-"));
    const r = await cli(["serve"], { KNOWLEDGE_DIR: empty, PORT: "0" });
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(empty);
  });
});
