// HR batch (contract "HR batch"): .jsonl/.csv/.xlsx in and out, Chinese labels and values, Excel dates, `none`
// awards, bad rows as error cells, --summary, template; verdicts equal the JSON path's for the same profiles.
import { createWriteStream, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Readable } from "node:stream";
import { finished } from "node:stream/promises";
import ExcelJS from "exceljs";
import { describe, expect, it } from "vitest";
import { csvLine, csvRecords } from "../../src/app/csv.ts";
import { COLUMNS } from "../../src/app/hr-sheet-columns.ts";
import { xlsxSink } from "../../src/app/hr-sheet-writer.ts";
import { cli } from "../support/capture-io.ts";

const dir = mkdtempSync(join(tmpdir(), "zc-hr-"));
const path = (name: string) => join(dir, name);

/** The same five people as JSON profiles (the reference) … */
const PROFILES = [
  {
    id: "a1",
    region: "beijing",
    targetLevel: "senior",
    education: "master",
    graduated: "2020-07",
    specialtyWorkSince: "2020-07",
    currentTitle: { level: "none" },
    awards: [],
    performanceMet: true,
    achievements: 3,
    continuingEducationMet: true,
    employerType: "state-owned",
    asOf: "2024-12-31",
  },
  {
    id: "a2",
    region: "beijing",
    targetLevel: "senior",
    education: "doctorate",
    graduated: "2015-07",
    specialtyWorkSince: "2015-07",
    currentTitle: { level: "engineer", series: "same", obtained: "2018-07" },
    awards: [
      { kind: "provincial-sci-tech-award", rank: 2 },
      { kind: "national-standard", rank: 1 },
    ],
    performanceMet: true,
    achievements: 5,
    continuingEducationMet: true,
    employerType: "private",
    asOf: "2024-12-31",
  },
  { id: "a3", region: "zhejiang", targetLevel: "senior", asOf: "2024-09-01" },
  {
    id: "a4",
    region: "sichuan-bazhong",
    targetLevel: "engineer",
    education: "bachelor",
    graduated: "2018-07",
    specialtyWorkSince: "2018-07",
    employerType: "private",
    firstApplication: true,
    otherApplicationThisYear: false,
    asOf: "2024-09-01",
  },
];

/** … and as a staff sheet with the template's Chinese labels, Chinese values, a column of HR's own and a bad row. */
const HEADER = [
  "编号",
  "姓名",
  "地区",
  "申报级别",
  "学历",
  "毕业时间",
  "从事本专业起始时间",
  "现有职称级别",
  "现有职称系列",
  "现有职称取得时间",
  "奖项与标准",
  "代表性成果数量",
  "满足业绩条件",
  "继续教育已完成",
  "单位性质",
  "首次申报",
  "今年另报其他职称",
  "评估日期",
];
const ROWS: string[][] = [
  [
    "a1",
    "张三",
    "北京",
    "高级工程师",
    "硕士",
    "2020年7月",
    "2020-07",
    "无",
    "",
    "",
    "none",
    "3",
    "是",
    "是",
    "国企",
    "",
    "",
    "2024-12-31",
  ],
  ["bad", "李,四", "火星", "工程师", "", "", "", "", "", "", "", "", "", "", "", "", "", ""],
  [
    "a2",
    "王\n五",
    "北京",
    "高级工程师",
    "博士",
    "2015/07",
    "2015.7",
    "工程师",
    "本系列",
    "2018年7月",
    "省部级科技奖:2;国家标准:1",
    "5",
    "是",
    "是",
    "民营企业",
    "",
    "",
    "2024/12/31",
  ],
  ["a3", "赵六", "浙江", "高工", "", "", "", "", "", "", "", "", "", "", "", "", "", "2024-09-01"],
  [
    "a4",
    '"钱"七',
    "巴中",
    "工程师",
    "本科",
    "2018-07",
    "2018-07",
    "",
    "",
    "",
    "",
    "",
    "",
    "",
    "民营企业",
    "是",
    "否",
    "2024-09-01",
  ],
];

async function csvFile(file: string): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const batch of csvRecords(Readable.from([readFileSync(file, "utf8")]))) rows.push(...batch);
  return rows;
}

async function xlsxRows(file: string): Promise<unknown[][]> {
  const book = new ExcelJS.Workbook();
  await book.xlsx.readFile(file);
  const rows: unknown[][] = [];
  book.worksheets[0]!.eachRow((row) => rows.push((row.values as unknown[]).slice(1)));
  return rows;
}

/** Verdicts of the JSON path, by id. */
async function jsonVerdicts(): Promise<Record<string, string>> {
  writeFileSync(path("ref.jsonl"), PROFILES.map((p) => JSON.stringify(p)).join("\n"));
  const r = await cli(["check", "--batch", path("ref.jsonl"), "--json"]);
  return Object.fromEntries(r.lines.map((l) => [l.id as string, l.verdict as string]));
}

describe("check --batch with sheets", () => {
  it("reads a CSV with Chinese labels and values and writes a filled CSV, one row per input row, in order", async () => {
    writeFileSync(path("staff.csv"), `\ufeff${[HEADER, ...ROWS].map(csvLine).join("")}`);
    const r = await cli(["check", "--batch", path("staff.csv"), "--out", path("out.csv"), "--json"]);
    expect(r.code).toBe(0);
    const expected = await jsonVerdicts();
    const count = (verdict: string) => Object.values(expected).filter((v) => v === verdict).length;
    expect(r.lines).toEqual([
      {
        out: path("out.csv"),
        rows: 5,
        eligible: count("eligible"),
        ineligible: count("ineligible"),
        undetermined: count("undetermined"),
        errors: 1,
      },
    ]);
    const text = readFileSync(path("out.csv"), "utf8");
    expect(text.startsWith("\ufeffid,姓名,地区")).toBe(true);
    const [header, ...rows] = await csvFile(path("out.csv"));
    expect(header).toContain("verdict");
    const col = (name: string) => header!.indexOf(name);
    expect(rows.map((row) => row[0])).toEqual(["a1", "bad", "a2", "a3", "a4"]);
    // HR's own cells come back as they were (a comma, a line break, quotes).
    expect(rows.map((row) => row[col("姓名")])).toEqual(["张三", "李,四", "王\n五", "赵六", '"钱"七']);
    for (const row of rows.filter((x) => x[0] !== "bad")) expect(row[col("verdict")]).toBe(expected[row[0]!]);
    const bad = rows[1]!;
    expect(bad[col("verdict")]).toBe("");
    expect(bad[col("错误")]).toMatch(/地区.*火星/);
    const a1 = rows[0]!;
    expect(a1[col("结论")]).toBe("暂不符合申报条件");
    expect(a1[col("最早可申报")]).toBe("2027-07");
    // Unmet criteria are written with the clause that sets them.
    expect(a1[col("未满足条件（条款）")]).toContain("京人社事业发〔2020〕30号 附件 三、(一)2.(2)");
    expect(rows[3]![col("待补充信息")]).toMatch(/^单位性质、/);
  });

  it("reads an .xlsx with Excel dates and writes a filled .xlsx with the same verdicts as the JSON path", async () => {
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet("人员");
    sheet.addRow([
      "id",
      "region",
      "targetLevel",
      "education",
      "graduated",
      "specialtyWorkSince",
      "currentTitle.level",
      "currentTitle.series",
      "currentTitle.obtained",
      "awards",
      "achievements",
      "performanceMet",
      "continuingEducationMet",
      "employerType",
      "firstApplication",
      "otherApplicationThisYear",
      "asOf",
    ]);
    // Dates as Excel keeps them: a date cell, and a bare serial number (44013 = 2020-07-01).
    sheet.addRow([
      "a1",
      "beijing",
      "senior",
      "master",
      new Date(Date.UTC(2020, 6, 1)),
      44013,
      "none",
      null,
      null,
      "none",
      3,
      true,
      "是",
      "state-owned",
      null,
      null,
      new Date(Date.UTC(2024, 11, 31)),
    ]);
    sheet.addRow([
      "a2",
      "北京",
      "senior",
      "doctorate",
      "2015-07",
      "2015-07",
      "engineer",
      "same",
      "2018-07",
      "provincial-sci-tech-award:2;national-standard:1",
      5,
      "是",
      true,
      "private",
      null,
      null,
      "2024-12-31",
    ]);
    sheet.addRow([
      "bad",
      "beijing",
      "senior",
      "master",
      "二〇二〇年",
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
    ]);
    sheet.addRow([
      "a4",
      "sichuan-bazhong",
      "engineer",
      "bachelor",
      "2018-07",
      "2018-07",
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      "private",
      "是",
      "否",
      "2024-09-01",
    ]);
    sheet.addRow([
      "a3",
      "zhejiang",
      "senior",
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      null,
      "2024-09-01",
    ]);
    await book.xlsx.writeFile(path("staff.xlsx"));

    const r = await cli(["check", "--batch", path("staff.xlsx"), "--out", path("out.xlsx")]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^共 5 行：.*出错 1；结果已写入 .*out\.xlsx\n$/);
    const [header, ...rows] = await xlsxRows(path("out.xlsx"));
    expect(header!.slice(0, 2)).toEqual(["id", "region"]);
    const v = header!.indexOf("verdict");
    const expected = await jsonVerdicts();
    expect(rows.map((row) => row[0])).toEqual(["a1", "a2", "bad", "a4", "a3"]);
    for (const row of rows.filter((x) => x[0] !== "bad")) expect(row[v]).toBe(expected[row[0] as string]);
    expect(String(rows[2]![header!.indexOf("错误")])).toMatch(/毕业时间.*二〇二〇年/);

    // The filled sheet is itself a staff sheet: read back, the verdicts are the same.
    const again = await cli(["check", "--batch", path("out.xlsx"), "--summary"]);
    expect(again.lines.map((l) => l.verdict ?? "error")).toEqual(rows.map((row) => row[v] || "error"));
  });

  it("reads Chinese split between the zip's chunks whole, in shared strings and in inline strings", async () => {
    // Thousands of rows, so the sheet's XML arrives in many chunks and characters fall on their boundaries.
    const n = 4000;
    const names = Array.from({ length: n }, (_, i) => `职工${"张王李赵钱孙"[i % 6]}${i}号`);
    const book = new ExcelJS.Workbook();
    const sheet = book.addWorksheet("人员");
    sheet.addRow(["编号", "姓名", "地区", "申报级别", "满足业绩条件", "继续教育已完成", "评估日期"]);
    names.forEach((name, i) => sheet.addRow([`s${i}`, name, "北京", "高级工程师", "是", "否", "2024-12-31"]));
    await book.xlsx.writeFile(path("shared.xlsx"));
    const streamed = createWriteStream(path("inline.xlsx"));
    const sink = xlsxSink(
      streamed,
      ["编号", "姓名", "地区", "申报级别", "满足业绩条件", "继续教育已完成", "评估日期"],
      {
        sheetName: "人员",
      },
    );
    for (const [i, name] of names.entries())
      await sink.row([`s${i}`, name, "北京", "高级工程师", "是", "否", "2024-12-31"]);
    await sink.close();
    streamed.end();
    await finished(streamed);

    for (const file of ["shared.xlsx", "inline.xlsx"]) {
      const r = await cli(["check", "--batch", path(file), "--out", path(`${file}.csv`), "--json"]);
      expect(r.lines[0]).toMatchObject({ rows: n, errors: 0 });
      const [header, ...rows] = await csvFile(path(`${file}.csv`));
      expect(rows.map((row) => row[header!.indexOf("姓名")])).toEqual(names);
    }
  });

  it("writes JSON Lines from a sheet, and a sheet from JSON Lines", async () => {
    writeFileSync(path("s2.csv"), [HEADER, ...ROWS].map(csvLine).join(""));
    const r = await cli(["check", "--batch", path("s2.csv"), "--json"]);
    expect(r.lines.map((l) => l.id)).toEqual(["a1", "bad", "a2", "a3", "a4"]);
    expect(r.lines[1]).toMatchObject({ id: "bad", error: { code: "invalid_cell" } });
    expect(r.lines[0]).toHaveProperty("criteria");

    writeFileSync(path("ref2.jsonl"), `${PROFILES.map((p) => JSON.stringify(p)).join("\n")}\n{oops\n`);
    const s = await cli(["check", "--batch", path("ref2.jsonl"), "--out", path("ref2.csv"), "--json"]);
    expect(s.lines[0]).toMatchObject({ rows: 5, errors: 1 });
    const [header, ...rows] = await csvFile(path("ref2.csv"));
    expect(header!.slice(0, 3)).toEqual(["id", "结论", "verdict"]);
    expect(rows.map((row) => row[0])).toEqual(["a1", "a2", "a3", "a4", ""]);
    expect(rows[4]![header!.indexOf("错误")]).toMatch(/JSON/);
  });

  it("--summary reduces each report to id, verdict, earliest month, missing facts, unmet criterion ids, unheld sources", async () => {
    writeFileSync(path("ref3.jsonl"), PROFILES.map((p) => JSON.stringify(p)).join("\n"));
    const full = await cli(["check", "--batch", path("ref3.jsonl"), "--json"]);
    const short = await cli(["check", "--batch", path("ref3.jsonl"), "--summary"]);
    expect(short.lines).toHaveLength(PROFILES.length);
    short.lines.forEach((line, i) => {
      const report = full.lines[i]!;
      expect(Object.keys(line)).toEqual([
        "id",
        "verdict",
        "earliestEligible",
        "missing",
        "unmet",
        "sourcesNotHeld",
      ]);
      expect(line).toEqual({
        id: report.id,
        verdict: report.verdict,
        earliestEligible: report.earliestEligible,
        missing: report.missing,
        unmet: (report.criteria as Array<{ id: string; status: string }>)
          .filter((c) => c.status === "unmet")
          .map((c) => c.id),
        sourcesNotHeld: report.sourcesNotHeld,
      });
    });
    expect(short.lines[0]!.unmet).toContain("edu-master-7y");
    expect(short.stdout.length * 5).toBeLessThan(full.stdout.length);
    // The same summary when the input is a sheet and the output a .jsonl file.
    writeFileSync(path("s3.csv"), [HEADER, ...ROWS].map(csvLine).join(""));
    await cli(["check", "--batch", path("s3.csv"), "--summary", "--out", path("s3.jsonl")]);
    const fromSheet = readFileSync(path("s3.jsonl"), "utf8")
      .trim()
      .split("\n")
      .map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(fromSheet[0]).toEqual(short.lines[0]);
  });

  it("refuses a file that is no staff sheet, or an unknown extension, with a Chinese message", async () => {
    writeFileSync(path("nohead.csv"), "a,b,c\n1,2,3\n");
    const r = await cli(["check", "--batch", path("nohead.csv"), "--out", path("nohead-out.csv")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/列名/);
    const t = await cli(["check", "--batch", path("x.txt")]);
    expect(t.code).toBe(2);
    expect(t.stderr).toMatch(/\.jsonl、\.csv 或 \.xlsx/);
    writeFileSync(path("broken.xlsx"), "not a zip");
    const b = await cli(["check", "--batch", path("broken.xlsx"), "--out", path("b.csv")]);
    expect(b.code).toBe(2);
    expect(b.stderr).toMatch(/无法读取表格/);
  });
});

describe("template", () => {
  const labels = COLUMNS.map((c) => c.label);

  it("writes the columns as CSV (with a BOM) and as .xlsx with a sheet saying what each column takes", async () => {
    const csv = await cli(["template", "--format", "csv"]);
    expect(csv.code).toBe(0);
    expect(csv.stdout).toBe(`\ufeff${labels.join(",")}\r\n`);
    expect(labels).toEqual(
      expect.arrayContaining(["编号", "地区", "申报级别", "现有职称级别", "现有职称取得时间", "奖项与标准"]),
    );

    const x = await cli(["template", "--out", path("template.xlsx")]);
    expect(x.code).toBe(0);
    const book = new ExcelJS.Workbook();
    await book.xlsx.readFile(path("template.xlsx"));
    expect((book.worksheets[0]!.getRow(1).values as unknown[]).slice(1)).toEqual(labels);
    const notes = book.getWorksheet("填写说明")!;
    expect(notes.rowCount).toBe(labels.length + 1);
    expect((notes.getRow(2).values as unknown[]).slice(1, 3)).toEqual(["编号", "id"]);

    expect((await cli(["template", "--format", "pdf"])).code).toBe(2);
  });

  it("a template filled in is read back", async () => {
    const header = (await cli(["template", "--format", "csv"])).stdout
      .replace("\ufeff", "")
      .trim()
      .split(",");
    const row = header.map(
      (label) => ({ 编号: "t1", 地区: "巴中", 申报级别: "工程师", 评估日期: "2024-09-01" })[label] ?? "",
    );
    writeFileSync(path("filled.csv"), [header, row].map(csvLine).join(""));
    const r = await cli(["check", "--batch", path("filled.csv"), "--summary"]);
    expect(r.lines).toEqual([expect.objectContaining({ id: "t1", verdict: "undetermined" })]);
  });
});

describe("CSV reader", () => {
  const read = async (chunks: string[]) => {
    const rows: string[][] = [];
    for await (const batch of csvRecords(Readable.from(chunks))) rows.push(...batch);
    return rows;
  };

  it("reads quotes, commas, doubled quotes and line breaks in cells, a BOM and CRLF, across chunk boundaries", async () => {
    const text = '\ufeffa,b,c\r\n"x,1","say ""hi""","two\r\nlines"\r\n\r\nlast,,\n"end"';
    const expected = [["a", "b", "c"], ["x,1", 'say "hi"', "two\r\nlines"], ["last", "", ""], ["end"]];
    expect(await read([text])).toEqual(expected);
    // Every split point, so a quote, a CR or a comma at a chunk's end is handled.
    for (let i = 1; i < text.length; i++)
      expect(await read([text.slice(0, i), text.slice(i)])).toEqual(expected);
  });

  it("writes cells that round-trip and defuses formula-like text", async () => {
    const cells = ["a,b", 'q"q', "x\ny", "=1+1", "-5", "平常"];
    const [back] = await read([csvLine(cells)]);
    expect(back).toEqual(["a,b", 'q"q', "x\ny", "'=1+1", "-5", "平常"]);
  });

  it("reads a CSV saved by Excel on Chinese Windows (GB18030)", async () => {
    const gb = Buffer.from([
      0xb5, 0xd8, 0xc7, 0xf8, 0x2c, 0xc9, 0xea, 0xb1, 0xa8, 0xbc, 0xb6, 0xb1, 0xf0, 0x0d, 0x0a,
    ]); // 地区,申报级别
    const rest = Buffer.from("beijing,senior\r\n");
    writeFileSync(path("gb.csv"), Buffer.concat([gb, rest]));
    const r = await cli(["check", "--batch", path("gb.csv"), "--summary"]);
    expect(r.lines).toEqual([expect.objectContaining({ verdict: "undetermined" })]);
  });
});
