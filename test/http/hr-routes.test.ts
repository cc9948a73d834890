// The console's HR routes: the template download, an uploaded sheet filled in (same format, same verdicts as
// POST /api/check), and the upload's limits: size, rows, an .xlsx that expands too far (a zip bomb).
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough, Readable } from "node:stream";
import { createDeflateRaw } from "node:zlib";
import ExcelJS from "exceljs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { createServices } from "../../src/main.ts";
import { createHttpServer, httpSettings, type HttpServer } from "../../src/http/http-server.ts";
import {
  HR_MAX_EXPANDED_BYTES,
  HR_MAX_ROWS,
  HR_MAX_UPLOAD_BYTES,
  XLSX_TYPE,
} from "../../src/http/hr-routes.ts";
import { csvLine, csvRecords } from "../../src/app/csv.ts";
import { COLUMNS } from "../../src/app/hr-sheet-columns.ts";
import { xlsxSink } from "../../src/app/hr-sheet-writer.ts";
import { fixedClock } from "../../src/shared/clock.ts";

let server: HttpServer;
beforeAll(async () => {
  const config = loadConfig({ HTTP_RATE_LIMIT_PER_MINUTE: "100000" });
  const services = await createServices(config, fixedClock("2024-09-01T04:00:00Z"), ["rules"]);
  server = createHttpServer({ services }, httpSettings(config, { requestLogging: false }));
  await server.app.ready();
});
afterAll(() => server.app.close());

const PROFILES = [
  {
    id: "p1",
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
    id: "p2",
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
  { id: "p3", region: "zhejiang", targetLevel: "senior", asOf: "2024-09-01" },
];

async function jsonVerdict(profile: object): Promise<string> {
  const r = await server.app.inject({ method: "POST", url: "/api/check", payload: profile });
  return r.json<{ verdict: string }>().verdict;
}

async function csvRows(text: string): Promise<string[][]> {
  const rows: string[][] = [];
  for await (const batch of csvRecords(Readable.from([text]))) rows.push(...batch);
  return rows;
}

function expectProblem(r: { json: <T>() => T }, code: string, message: RegExp): void {
  const body = r.json<{ error: { code: string; message: string } }>();
  expect(body.error.code).toBe(code);
  expect(body.error.message).toMatch(message);
}

const upload = (payload: Buffer | string, contentType: string, url = "/api/hr/check") =>
  server.app.inject({ method: "POST", url, payload, headers: { "content-type": contentType } });

describe("GET /api/hr/template", () => {
  it("downloads the staff sheet's columns as .xlsx (default) or CSV", async () => {
    const x = await server.app.inject({ url: "/api/hr/template" });
    expect(x.statusCode).toBe(200);
    expect(x.headers["content-type"]).toBe(XLSX_TYPE);
    expect(x.headers["content-disposition"]).toMatch(
      /attachment; filename="staff-template\.xlsx"; filename\*=UTF-8''/,
    );
    const book = new ExcelJS.Workbook();
    await book.xlsx.load(x.rawPayload as unknown as ArrayBuffer);
    expect((book.worksheets[0]!.getRow(1).values as unknown[]).slice(1)).toEqual(COLUMNS.map((c) => c.label));

    const c = await server.app.inject({ url: "/api/hr/template?format=csv" });
    expect(c.headers["content-type"]).toMatch(/^text\/csv/);
    expect(c.body).toBe(`\ufeff${COLUMNS.map((col) => col.label).join(",")}\r\n`);

    const bad = await server.app.inject({ url: "/api/hr/template?format=pdf" });
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toMatchObject({ error: { code: "invalid_request" } });
  });
});

describe("POST /api/hr/check", () => {
  it("fills an uploaded CSV (Chinese labels and values, a bad row) with the verdicts of POST /api/check", async () => {
    const sheet = [
      [
        "编号",
        "部门",
        "地区",
        "申报级别",
        "学历",
        "毕业时间",
        "从事本专业起始时间",
        "现有职称级别",
        "奖项与标准",
        "代表性成果数量",
        "满足业绩条件",
        "继续教育已完成",
        "单位性质",
        "首次申报",
        "今年另报其他职称",
        "评估日期",
      ],
      [
        "p1",
        "研发部",
        "北京",
        "高级工程师",
        "硕士",
        "2020年7月",
        "2020-07",
        "无",
        "none",
        "3",
        "是",
        "是",
        "国企",
        "",
        "",
        "2024-12-31",
      ],
      [
        "p2",
        "数据部",
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
        "民营企业",
        "是",
        "否",
        "2024-09-01",
      ],
      ["bad", "行政部", "北京", "高级工程师", "", "", "", "", "金牌:1", "", "", "", "", "", "", ""],
      ["p3", "研发部", "浙江", "高工", "", "", "", "", "", "", "", "", "", "", "", "2024-09-01"],
    ];
    const r = await upload(sheet.map(csvLine).join(""), "text/csv");
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-type"]).toMatch(/^text\/csv/);
    expect(r.body.startsWith("\ufeffid,部门,")).toBe(true);
    const [header, ...rows] = await csvRows(r.body);
    const v = header!.indexOf("verdict");
    expect(rows.map((row) => row[0])).toEqual(["p1", "p2", "bad", "p3"]);
    for (const [i, p] of PROFILES.entries()) expect(rows[i < 2 ? i : 3]![v]).toBe(await jsonVerdict(p));
    expect(rows[2]![header!.indexOf("错误")]).toMatch(/奖项与标准.*金牌/);
  });

  it("fills an uploaded .xlsx (field names, Excel dates) and answers .xlsx", async () => {
    const book = new ExcelJS.Workbook();
    const ws = book.addWorksheet("staff");
    ws.addRow([
      "id",
      "region",
      "targetLevel",
      "education",
      "graduated",
      "specialtyWorkSince",
      "currentTitle.level",
      "awards",
      "achievements",
      "performanceMet",
      "continuingEducationMet",
      "employerType",
      "asOf",
    ]);
    ws.addRow([
      "p1",
      "beijing",
      "senior",
      "master",
      new Date(Date.UTC(2020, 6, 1)),
      new Date(Date.UTC(2020, 6, 1)),
      "none",
      "none",
      3,
      "是",
      "是",
      "state-owned",
      new Date(Date.UTC(2024, 11, 31)),
    ]);
    const body = Buffer.from(await book.xlsx.writeBuffer());
    // application/octet-stream: told apart by its first bytes.
    const r = await upload(body, "application/octet-stream");
    expect(r.statusCode).toBe(200);
    expect(r.headers["content-type"]).toBe(XLSX_TYPE);
    const out = new ExcelJS.Workbook();
    await out.xlsx.load(r.rawPayload as unknown as ArrayBuffer);
    const header = (out.worksheets[0]!.getRow(1).values as unknown[]).slice(1);
    const row = (out.worksheets[0]!.getRow(2).values as unknown[]).slice(1);
    expect(row[0]).toBe("p1");
    expect(row[header.indexOf("verdict")]).toBe(await jsonVerdict(PROFILES[0]!));
    expect(row[header.indexOf("最早可申报")]).toBe("2027-07");
  });

  it("refuses an upload over its size limit with 413 in Chinese", async () => {
    const r = await upload(Buffer.alloc(HR_MAX_UPLOAD_BYTES + 1, 0x61), "text/csv");
    expect(r.statusCode).toBe(413);
    expect(r.json()).toMatchObject({
      error: { code: "body_too_large", message: "请求内容过大（最多 10240 KB）。" },
    });
  });

  it("refuses more rows than the cap with 413 in Chinese", async () => {
    const rows = [
      ["地区", "申报级别"],
      ...Array.from({ length: HR_MAX_ROWS + 1 }, () => ["北京", "高级工程师"]),
    ];
    const r = await upload(rows.map(csvLine).join(""), "text/csv");
    expect(r.statusCode).toBe(413);
    expectProblem(r, "too_many_rows", new RegExp(String(HR_MAX_ROWS)));
  });

  it("refuses more rows than the cap in an .xlsx too, and leaves no temporary file behind", async () => {
    // A streamed workbook puts its sheet before its shared strings: ExcelJS then copies the sheet to a
    // temporary file, which must go when the batch stops at the cap, as when it completes.
    const tmp = mkdtempSync(join(tmpdir(), "zc-hr-tmp-"));
    const saved = process.env.TMPDIR;
    process.env.TMPDIR = tmp;
    try {
      for (const rows of [HR_MAX_ROWS + 1, 3]) {
        const out = new PassThrough();
        const chunks: Buffer[] = [];
        out.on("data", (c: Buffer) => chunks.push(c));
        const sink = xlsxSink(out, ["地区", "申报级别"], { sheetName: "人员" });
        for (let i = 0; i < rows; i++) await sink.row(["北京", "高级工程师"]);
        await sink.close();
        const r = await upload(Buffer.concat(chunks), XLSX_TYPE);
        expect(r.statusCode).toBe(rows > HR_MAX_ROWS ? 413 : 200);
        if (rows > HR_MAX_ROWS) expectProblem(r, "too_many_rows", new RegExp(String(HR_MAX_ROWS)));
        // ExcelJS's temporary files are unlinked asynchronously once their sheet is read.
        await expect.poll(() => readdirSync(tmp), { timeout: 3000 }).toEqual([]);
      }
    } finally {
      if (saved === undefined) delete process.env.TMPDIR;
      else process.env.TMPDIR = saved;
      rmSync(tmp, { recursive: true, force: true });
    }
  });

  it("refuses an .xlsx that expands beyond the bound (a zip bomb that declares a small size) before reading it", async () => {
    // One entry, xl/worksheets/sheet1.xml: a little over the bound of blanks, deflated to about 100 KB, with a
    // local header that claims 1,000 bytes.
    const deflate = createDeflateRaw({ level: 9 });
    const parts: Buffer[] = [];
    deflate.on("data", (c: Buffer) => parts.push(c));
    const block = Buffer.alloc(1024 * 1024, 0x20);
    for (let i = 0; i <= HR_MAX_EXPANDED_BYTES / block.length; i++) deflate.write(block);
    await new Promise<void>((resolve) => deflate.end(resolve));
    const data = Buffer.concat(parts);
    const name = Buffer.from("xl/worksheets/sheet1.xml");
    const header = Buffer.alloc(30);
    header.writeUInt32LE(0x04034b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(8, 8); // deflated
    header.writeUInt32LE(data.length, 18);
    header.writeUInt32LE(1000, 22); // the lie
    header.writeUInt16LE(name.length, 26);
    const bomb = Buffer.concat([header, name, data]);
    expect(bomb.length).toBeLessThan(HR_MAX_UPLOAD_BYTES);
    const r = await upload(bomb, XLSX_TYPE);
    expect(r.statusCode).toBe(413);
    expectProblem(r, "archive_too_large", /压缩炸弹/);
  });

  it("refuses a body that is no sheet: JSON (415), a broken .xlsx or a sheet without a header (422)", async () => {
    const json = await server.app.inject({ method: "POST", url: "/api/hr/check", payload: { a: 1 } });
    expect(json.statusCode).toBe(415);
    expectProblem(json, "unsupported_media_type", /xlsx/);
    expectProblem(await upload("a,b", "text/plain"), "unsupported_media_type", /\.xlsx 或 \.csv/);
    const broken = await upload("PK\u0003\u0004 not really", XLSX_TYPE);
    expect(broken.statusCode).toBe(422);
    expectProblem(broken, "invalid_sheet", /无法读取表格/);
    const noHeader = await upload("1,2,3\r\n", "text/csv");
    expect(noHeader.statusCode).toBe(422);
    expect(noHeader.json()).toMatchObject({ error: { code: "no_known_columns" } });
  });
});
