// The web console's routes: its static files and favicon, and the read-only JSON it reads (vocabulary, notices,
// a notice's clause tree, a clause in context), with Chinese 404s and the /api access rules and rate limit.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHINESE, errorOf, startServer, type TestServer } from "./support/http-harness.ts";

interface Node {
  clauseId: string;
  path: string;
  label: string;
  depth: number;
  parentId: string | null;
}

let t: TestServer;
beforeAll(async () => {
  t = await startServer();
});
afterAll(() => t.close());

const get = (path: string, headers: Record<string, string> = {}) => fetch(`${t.base}${path}`, { headers });

describe("the console's files", () => {
  it("serves the page, its module scripts and styles from this server only, and a favicon", async () => {
    const html = await (await get("/")).text();
    const local = [...html.matchAll(/(?:src|href)="([^"]+)"/g)].map((m) => m[1] ?? "");
    expect(local).toEqual(expect.arrayContaining(["/console.mjs", "/console.css", "/favicon.svg"]));
    expect(local.every((url) => url.startsWith("/"))).toBe(true);
    const script = await get("/console.mjs");
    expect([script.status, script.headers.get("content-type")]).toEqual([
      200,
      "text/javascript; charset=utf-8",
    ]);
    // Every module the entry imports is served too.
    const imports = [...(await script.text()).matchAll(/from "\.\/([\w-]+\.mjs)"/g)].map((m) => m[1]);
    expect(imports.length).toBeGreaterThanOrEqual(4);
    for (const name of [...imports, "console-core.mjs"]) expect((await get(`/${name}`)).status).toBe(200);
    expect((await get("/console.css")).headers.get("content-type")).toMatch(/^text\/css/);
    const icon = await get("/favicon.ico");
    expect([icon.status, icon.headers.get("content-type")]).toEqual([200, "image/svg+xml"]);
    expect(await icon.text()).toMatch(/^<svg /);
    expect((await get("/console-none.mjs")).status).toBe(404);
  });
});

describe("GET /api/vocabulary and /api/notices", () => {
  it("lists the contract's values with Chinese names and the server's today", async () => {
    const v = (await (await get("/api/vocabulary")).json()) as Record<string, unknown>;
    expect(v.today).toBe("2024-09-01");
    expect(v.levels).toMatchObject({ senior: "高级工程师", technician: "技术员" });
    expect(v.educations).toMatchObject({ "second-bachelor": "第二学士" });
    expect(v.employers).toMatchObject({ "civil-servant-managed": "参照公务员法管理单位" });
    expect(Object.keys(v.awards as object)).toHaveLength(6);
    expect(v.regions).toContainEqual({ id: "sichuan-bazhong", name: "四川巴中" });
  });

  it("lists every notice with its number, region and year", async () => {
    const { notices } = (await (await get("/api/notices")).json()) as {
      notices: Array<{ docId: string; docNumber: string | null; year: number | null; regionName: string }>;
    };
    expect(notices.map((n) => n.docId).sort()).toEqual([
      "bazhong-digital-2024",
      "beijing-ai-title-2020",
      "zhejiang-ai-senior-2024",
      "zhejiang-ai-title-reform-draft",
      "zhejiang-professor-2023",
    ]);
    expect(notices.find((n) => n.docId === "beijing-ai-title-2020")).toMatchObject({
      docNumber: "京人社事业发〔2020〕30号",
      year: 2020,
      regionName: "北京",
    });
    // No date, no number: the year comes from the title ("2024年度").
    expect(notices.find((n) => n.docId === "bazhong-digital-2024")?.year).toBe(2024);
  });
});

describe("GET /api/notices/:docId", () => {
  it("gives the notice as a clause tree: each clause under its nearest heading, annexes apart", async () => {
    const res = await get("/api/notices/beijing-ai-title-2020");
    expect(res.status).toBe(200);
    const { notice, clauses } = (await res.json()) as { notice: { title: string }; clauses: Node[] };
    expect(notice.title).toMatch(/人工智能/);
    const byPath = new Map(clauses.map((c) => [c.path, c]));
    const four = byPath.get("附件 三、(四)");
    expect(four).toMatchObject({ depth: 1, parentId: "beijing-ai-title-2020:附件三、" });
    // The heading without its outline marker: the path already says (四).
    expect(four?.label).toBe("具备下列条件之一,可不受学历和专业工作经历限制,破格申报高级工程师");
    expect(byPath.get("附件 三、(四)1.")?.parentId).toBe(four?.clauseId);
    // The body's 三、 is not the annex's 三、.
    expect(byPath.get("三、")?.parentId).toBeNull();
    expect(byPath.get("附件 三、")?.parentId).toBeNull();
    for (const c of clauses) {
      if (c.parentId === null) continue;
      const parent = clauses.find((p) => p.clauseId === c.parentId);
      expect(parent?.depth).toBe(c.depth - 1);
      expect(c.path.startsWith(parent?.path ?? "?")).toBe(true);
    }
  });

  it("answers 404 in Chinese for an unknown notice and 400 for an id of the wrong shape", async () => {
    const unknown = await get("/api/notices/no-such-notice");
    expect([unknown.status, await errorOf(unknown)]).toEqual([
      404,
      { code: "unknown_notice", message: "没有这份通知：no-such-notice" },
    ]);
    const bad = await get(`/api/notices/${encodeURIComponent("../etc/passwd")}`);
    expect(bad.status).toBe(400);
    expect((await errorOf(bad)).message).toMatch(CHINESE);
  });
});

describe("GET /api/clauses/:clauseId", () => {
  it("gives the clause with its parent headings, children, neighbours and the citation line", async () => {
    const res = await get(`/api/clauses/${encodeURIComponent("beijing-ai-title-2020:附件三、(四)")}`);
    expect(res.status).toBe(200);
    const ctx = (await res.json()) as {
      citationText: string;
      citation: { path: string; docNumber: string };
      ancestors: Node[];
      children: Node[];
      previous: Node | null;
      next: Node | null;
    };
    expect(ctx.citation).toMatchObject({ path: "附件 三、(四)", docNumber: "京人社事业发〔2020〕30号" });
    expect(ctx.citationText).toMatch(/^京人社事业发〔2020〕30号 附件 三、\(四\)：\(四\)具备下列条件之一/);
    expect(ctx.ancestors.map((a) => a.path)).toEqual(["附件 三、"]);
    expect(ctx.children.map((c) => c.path)[0]).toBe("附件 三、(四)1.");
    expect(ctx.previous?.path).toMatch(/^附件 三、\(三\)/);
    expect(ctx.next?.path).toBe("附件 三、(四)1.");
  });

  it("cites a notice without a number by its title, on one line", async () => {
    const ctx = (await (
      await get(`/api/clauses/${encodeURIComponent("bazhong-digital-2024:四、(二)1.")}`)
    ).json()) as { citationText: string };
    expect(ctx.citationText).toMatch(
      /^《关于开展2024年度全市大数据与人工智能专业初级、中级职称申报评审工作的通知》 四、\(二\)1\.：/,
    );
    expect(ctx.citationText).not.toContain("\n");
  });

  it("answers 404 in Chinese for an unknown clause and 400 for an over-long id", async () => {
    const unknown = await get(`/api/clauses/${encodeURIComponent("beijing-ai-title-2020:九、")}`);
    expect([unknown.status, await errorOf(unknown)]).toEqual([
      404,
      { code: "unknown_clause", message: "没有这个条款：beijing-ai-title-2020:九、" },
    ]);
    const long = await get(`/api/clauses/${"x".repeat(201)}`);
    expect(long.status).toBe(400);
    expect((await errorOf(long)).message).toMatch(CHINESE);
  });
});

describe("access rules and the rate limit cover the console's JSON", () => {
  it("answers 401 for a wrong key and 429 over the per-client limit", async () => {
    const limited = await startServer({ env: { HTTP_RATE_LIMIT_PER_MINUTE: "3" } });
    try {
      const wrong = await fetch(`${limited.base}/api/notices`, { headers: { authorization: "Bearer nope" } });
      expect(wrong.status).toBe(401);
      const statuses: number[] = [];
      for (const path of ["/api/notices", "/api/notices/beijing-ai-title-2020", "/api/vocabulary"])
        statuses.push((await fetch(`${limited.base}${path}`)).status);
      const over = await fetch(
        `${limited.base}/api/clauses/${encodeURIComponent("beijing-ai-title-2020:一、")}`,
      );
      // The wrong key counted against the address too.
      expect(statuses).toEqual([200, 200, 429]);
      expect(over.status).toBe(429);
      expect(over.headers.get("retry-after")).toMatch(/^\d+$/);
      // The page and its files are not rate-limited.
      expect((await fetch(`${limited.base}/console.mjs`)).status).toBe(200);
    } finally {
      await limited.close();
    }
  });
});
