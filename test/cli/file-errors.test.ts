// A file named on the command line that cannot be read or written is a Chinese message and exit 2, never a stack.
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
