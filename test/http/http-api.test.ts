// The HTTP contract under `serve`: routes, shapes, status codes, Chinese errors, and chat sessions in real Redis.
import { randomUUID } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_BODY_BYTES, MAX_TEXT_CHARS } from "../../src/http/request-schemas.ts";
import { CHINESE, errorOf, postJson, startServer, type TestServer } from "./support/http-harness.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startServer();
});
afterAll(() => t.close());

describe("the web console and the operator's routes", () => {
  it("serves the console page without anything from elsewhere", async () => {
    const page = await fetch(`${t.base}/`);
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    expect(page.headers.get("content-security-policy")).toMatch(/frame-ancestors 'none'/);
    const html = await page.text();
    expect(html).toContain("职称助手");
    expect(html).not.toMatch(/<script[^>]+src=["']https?:/);
  });

  it("reports health (the store), readiness and Prometheus metrics", async () => {
    expect(await (await fetch(`${t.base}/healthz`)).json()).toEqual({ ok: true, store: "up" });
    const ready = await fetch(`${t.base}/readyz`);
    expect([ready.status, await ready.json()]).toEqual([200, { ready: true }]);
    const metrics = await fetch(`${t.base}/metrics`);
    expect(metrics.headers.get("content-type")).toMatch(/text\/plain/);
    // The route pattern and status, never the raw URL.
    expect(await metrics.text()).toMatch(
      /zhicheng_http_request_duration_seconds_count\{method="GET",route="\/healthz",status_code="200"\} 1/,
    );
  });
});

describe("lookups", () => {
  it("answers GET /api/ask with citations, and refuses an empty question in Chinese", async () => {
    const res = await fetch(`${t.base}/api/ask?q=${encodeURIComponent("巴中评审费多少钱")}`);
    const r = (await res.json()) as { grounded: boolean; citations: Array<{ docId: string }> };
    expect(r.grounded).toBe(true);
    expect(r.citations[0]?.docId).toBe("bazhong-digital-2024");
    const empty = await fetch(`${t.base}/api/ask?q=%20`);
    expect(empty.status).toBe(400);
    expect((await errorOf(empty)).message).toMatch(CHINESE);
    const none = await fetch(`${t.base}/api/ask`);
    expect(none.status).toBe(400);
    expect(await errorOf(none)).toEqual({ code: "invalid_request", message: "缺少参数：q" });
  });

  it("answers GET /api/ask on the day asOf names, and refuses a day that does not exist", async () => {
    const q = encodeURIComponent("巴中职称网上申报什么时候截止");
    const during = (await (await fetch(`${t.base}/api/ask?q=${q}&asOf=2024-09-01`)).json()) as {
      answer: string;
    };
    const after = (await (await fetch(`${t.base}/api/ask?q=${q}&asOf=2025-06-01`)).json()) as {
      answer: string;
    };
    expect(during.answer).not.toMatch(/已于.*结束/);
    expect(after.answer).toMatch(/已于.*结束/);
    const bad = await fetch(`${t.base}/api/ask?q=${q}&asOf=2024-02-30`);
    expect([bad.status, (await errorOf(bad)).message]).toEqual([400, "参数 asOf 无效：应为 YYYY-MM-DD"]);
  });

  it("returns ranked clauses, reports and deadlines in the contract's shapes", async () => {
    const clauses = (await (
      await fetch(`${t.base}/api/clauses?q=${encodeURIComponent("破格")}&limit=2`)
    ).json()) as {
      query: string;
      clauses: unknown[];
    };
    expect(clauses.query).toBe("破格");
    expect(clauses.clauses).toHaveLength(2);
    const report = await postJson(t.base, "/api/check", {
      region: "beijing",
      targetLevel: "assistant",
      education: "master",
      graduated: "2024-06",
    });
    expect(report.status).toBe(200);
    const body = (await report.json()) as { verdict: string; criteria: unknown[] };
    expect(["eligible", "ineligible", "undetermined"]).toContain(body.verdict);
    expect(body.criteria.length).toBeGreaterThan(0);
    const deadlines = (await (await fetch(`${t.base}/api/deadlines?region=sichuan-bazhong`)).json()) as {
      deadlines: Array<{ region: string }>;
    };
    expect(deadlines.deadlines.length).toBeGreaterThan(0);
    expect(deadlines.deadlines.every((d) => d.region === "sichuan-bazhong")).toBe(true);
    const ics = await fetch(`${t.base}/api/deadlines?format=ics`);
    expect(ics.headers.get("content-type")).toMatch(/text\/calendar/);
    expect(await ics.text()).toMatch(/^BEGIN:VCALENDAR/);
  });

  it("answers 422 for an invalid profile and 400 for a body that is not a JSON object", async () => {
    const invalid = await postJson(t.base, "/api/check", { region: "mars", targetLevel: "senior" });
    expect(invalid.status).toBe(422);
    expect((await errorOf(invalid)).code).toBe("invalid_profile");
    for (const body of ["[]", "null", "3", '"profile"']) {
      const res = await postJson(t.base, "/api/check", body);
      expect(res.status).toBe(400);
      expect(await errorOf(res)).toEqual({
        code: "invalid_request",
        message: "请求内容应为一个 JSON 对象。",
      });
    }
  });

  it("names the bad parameter of a lookup", async () => {
    const cases: Array<[string, string]> = [
      ["/api/clauses?q=破格&limit=101", "参数 limit 无效：应为 1–100 的整数"],
      [
        "/api/deadlines?level=boss",
        "参数 level 无效：应为 technician / assistant / engineer / senior / professor",
      ],
      ["/api/deadlines?after=2024-02-30", "参数 after 无效：应为 YYYY-MM-DD"],
      ["/api/deadlines?format=pdf", "参数 format 应为 json / ics。"],
      ["/api/clauses?q=a&q=b", "参数 q 应为字符串。"],
      ["/api/clauses?q=%20%20", "参数 q 不能为空。"],
    ];
    for (const [path, message] of cases) {
      const res = await fetch(`${t.base}${encodeURI(path).replaceAll("%25", "%")}`);
      expect([path, res.status, (await errorOf(res)).message]).toEqual([path, 400, message]);
    }
  });
});

describe("Fastify's own refusals, in Chinese", () => {
  it("answers 404, 405 (with Allow), 413, 415 and invalid JSON with {error:{code,message}}", async () => {
    const cases: Array<[Promise<Response>, number, string]> = [
      [fetch(`${t.base}/nope`), 404, "not_found"],
      [fetch(`${t.base}/api/chat`), 405, "method_not_allowed"],
      [fetch(`${t.base}/api/ask?q=x`, { method: "DELETE" }), 405, "method_not_allowed"],
      [
        postJson(t.base, "/api/chat", { user: "x", text: "字".repeat(MAX_BODY_BYTES) }),
        413,
        "body_too_large",
      ],
      [
        fetch(`${t.base}/api/chat`, {
          method: "POST",
          headers: { "content-type": "text/plain" },
          body: "你好",
        }),
        415,
        "unsupported_media_type",
      ],
      [postJson(t.base, "/api/check", "{oops"), 400, "invalid_json"],
      [postJson(t.base, "/api/check", ""), 400, "invalid_json"],
      [postJson(t.base, "/api/check", '{"__proto__":{"x":1}}'), 400, "invalid_json"],
    ];
    for (const [request, status, code] of cases) {
      const res = await request;
      const error = await errorOf(res);
      expect([res.status, error.code]).toEqual([status, code]);
      expect(error.message).toMatch(CHINESE);
      expect(res.headers.get("content-type")).toMatch(/application\/json/);
    }
    const notAllowed = await fetch(`${t.base}/api/chat`);
    expect(notAllowed.headers.get("allow")).toBe("POST");
  });
});

describe("POST /api/chat", () => {
  const chat = (body: unknown) => postJson(t.base, "/api/chat", body);

  it("chats with a session that remembers, and answers a repeated messageId with the first replies", async () => {
    const user = `u-${randomUUID()}`;
    const first = await chat({ user, text: "我能评高级工程师吗", messageId: "m1" });
    expect(first.status).toBe(200);
    const firstBody = (await first.json()) as { replies: Array<{ text: string }>; duplicate?: boolean };
    expect(firstBody.replies.length).toBeGreaterThan(0);
    expect(firstBody.duplicate).toBeUndefined();
    const again = await chat({ user, text: "我能评高级工程师吗", messageId: "m1" });
    expect(again.status).toBe(200);
    expect(await again.json()).toEqual({ replies: firstBody.replies, duplicate: true });
    const second = (await (await chat({ user, text: "北京", messageId: "m2" })).json()) as {
      replies: Array<{ text: string }>;
    };
    // The level from the first message is remembered: the assistant goes on to a further question.
    expect(second.replies.map((r) => r.text).join("\n")).not.toMatch(/哪一级|什么级别/);
  });

  it("limits messageId to 128 characters and text to 4,000, with a clear message", async () => {
    const longId = await chat({ user: "u", text: "你好", messageId: "m".repeat(129) });
    expect([longId.status, (await errorOf(longId)).message]).toEqual([
      400,
      "字段 messageId 过长（最多 128 个字符）。",
    ]);
    expect((await chat({ user: "u-128", text: "你好", messageId: "m".repeat(128) })).status).toBe(200);
    const longText = await chat({ user: "u", text: "字".repeat(MAX_TEXT_CHARS + 1) });
    expect([longText.status, (await errorOf(longText)).message]).toEqual([
      400,
      "字段 text 过长（最多 4000 个字符）。",
    ]);
    const noText = await chat({ user: "u" });
    expect([noText.status, (await errorOf(noText)).message]).toEqual([400, "缺少字段：text"]);
    const blank = await chat({ user: "u", text: "  " });
    expect([blank.status, (await errorOf(blank)).message]).toEqual([400, "字段 text 不能为空。"]);
    const numericUser = await chat({ user: 7, text: "你好" });
    expect([numericUser.status, (await errorOf(numericUser)).message]).toEqual([
      400,
      "字段 user 应为字符串。",
    ]);
  });

  it("needs a user on a loopback server without API keys (the body's user is the conversation)", async () => {
    const res = await chat({ text: "你好" });
    expect([res.status, (await errorOf(res)).message]).toEqual([400, "缺少字段：user"]);
    const aliased = await chat({ user: "cookie:abc", text: "你好" });
    expect([aliased.status, (await errorOf(aliased)).code]).toEqual([400, "reserved_user"]);
  });

  it("counts each turn's outcome in /metrics", async () => {
    const text = await (await fetch(`${t.base}/metrics`)).text();
    expect(text).toMatch(/zhicheng_chat_turns_total\{channel="web",outcome="answered"\} [1-9]/);
    expect(text).toMatch(/zhicheng_chat_turns_total\{channel="web",outcome="duplicate"\} [1-9]/);
  });
});
