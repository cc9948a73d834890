// A file named on the command line that cannot be read or written is a Chinese message and exit 2, never a stack.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { cli } from "../support/capture-io.ts";
import { PROJECT_ROOT } from "../support/paths.ts";

describe("files the command line names", () => {
  it.each([
    [
      "template into a missing folder",
      ["template", "--out", "/nonexistent-dir/t.xlsx"],
      "/nonexistent-dir/t.xlsx",
    ],
    [
      "a batch's results into a missing folder",
      ["check", "--batch", `${PROJECT_ROOT}examples/staff.csv`, "--out", "/nonexistent-dir/x.csv"],
      "/nonexistent-dir/x.csv",
    ],
    [
      "a notice that does not exist",
      [
        "ingest",
        "/nonexistent.txt",
        "--id",
        "x",
        "--title",
        "t",
        "--region",
        "zhejiang",
        "--levels",
        "senior",
      ],
      "/nonexistent.txt",
    ],
  ])("%s", async (_label, argv, path) => {
    const r = await cli(argv);
    expect(r.code).toBe(2);
    expect(r.stderr).toBe(`无法读写文件：${path}（文件或目录不存在）\n`);
    expect(r.stdout).toBe("");
  });
});

describe("an invalid profile in check --profile", () => {
  const write = (profile: unknown): string => {
    const dir = mkdtempSync(join(tmpdir(), "zc-profile-"));
    const file = join(dir, "p.json");
    writeFileSync(file, JSON.stringify(profile));
    return file;
  };

  it("is a Chinese message on stderr and exit 2 at a terminal", async () => {
    const file = write({ region: "beijing", targetLevel: "senior", education: "phd" });
    const r = await cli(["check", "--profile", file]);
    expect(r.code).toBe(2);
    expect(r.stdout).toBe("");
    expect(r.stderr).toMatch(new RegExp(`^申报人信息 ${file} 有误：字段 education 不合法：无效选项`));
  });

  it("stays the JSON error object with --json", async () => {
    const file = write({ region: "beijing", targetLevel: "senior", education: "phd" });
    const r = await cli(["check", "--profile", file, "--json"]);
    expect(r.code).toBe(0);
    expect(r.lines[0]).toMatchObject({ error: { code: "invalid_profile", field: "education" } });
  });

  it("names what is still missing in Chinese at a terminal", async () => {
    const r = await cli(["check", "--profile", write({ region: "beijing", targetLevel: "senior" })]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/还需要了解：单位性质、业绩条件/);
    expect(r.stdout).not.toMatch(/employerType|performanceMet/);
  });
});
