// Requests that used to end the process or got the wrong status (issue 8), each answered now, server still up.
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHINESE, errorOf, postJson, startServer, type TestServer } from "./support/http-harness.ts";
import { rawExchange } from "./support/raw-http.ts";

let t: TestServer;
beforeAll(async () => {
  t = await startServer();
});
afterAll(() => t.close());

async function stillServing(): Promise<void> {
  expect((await fetch(`${t.base}/healthz`)).status).toBe(200);
}

describe("requests that used to end the process", () => {
  it.each([
    ["/api/clauses", 400, "缺少参数：q"],
    ["/api/clauses?q=%E7%A0%B4%E6%A0%BC&limit=0", 400, "参数 limit 无效：应为 1–100 的整数"],
    ["/api/clauses?q=%E7%A0%B4%E6%A0%BC&limit=abc", 400, "参数 limit 无效：应为 1–100 的整数"],
    ["/api/deadlines?region=x", 400, "参数 region 无效：应为 beijing / zhejiang / sichuan-bazhong"],
    ["/api/deadlines?after=tomorrow", 400, "参数 after 无效：应为 YYYY-MM-DD"],
  ])("GET %s is a %i", async (path, status, message) => {
    const res = await fetch(`${t.base}${path}`);
    expect(res.status).toBe(status);
    expect((await errorOf(res)).message).toBe(message);
    await stillServing();
  });

  it("a raw request line with a broken absolute URL (GET http://[::1 HTTP/1.1) is a Chinese 400", async () => {
    const response = await rawExchange(t.port, "GET http://[::1 HTTP/1.1\r\nHost: x\r\n\r\n");
    expect(response).toMatch(/^HTTP\/1\.1 400 /);
    expect(response).toContain('"code":"bad_url"');
    expect(response).toMatch(CHINESE);
    await stillServing();
  });

  it.each([
    ["an unknown method", "BREW / HTTP/1.1\r\nHost: x\r\n\r\n", 400],
    ["a request line that is not HTTP", "hello there\r\n\r\n", 400],
    ["a header without a colon", "GET / HTTP/1.1\r\nHost x\r\n\r\n", 400],
    ["a missing Host header", "GET /healthz HTTP/1.1\r\n\r\n", 400],
    ["headers beyond Node's limit", `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${"a".repeat(20_000)}\r\n\r\n`, 431],
    ["a bad percent-encoding in the path", "GET /api/%ff HTTP/1.1\r\nHost: x\r\n\r\n", 400],
  ])("%s is answered in Chinese", async (_label, bytes, status) => {
    const response = await rawExchange(t.port, bytes);
    expect(response).toMatch(new RegExp(`^HTTP/1\\.1 ${status} `));
    expect(response).toMatch(/\{"error":\{"code":"[a-z_]+","message":"[^"]*[\u4e00-\u9fff]/);
    await stillServing();
  });
});

describe("statuses that were wrong", () => {
  it("a chat message over the user's limit is a 429 with Retry-After and the polite reply (not a 200)", async () => {
    const limited = await startServer({ env: { RATE_LIMIT_PER_MINUTE: "1" } });
    try {
      const say = (messageId: string) =>
        postJson(limited.base, "/api/chat", { user: "hasty", text: "你好", messageId });
      expect((await say("m1")).status).toBe(200);
      const refused = await say("m2");
      expect(refused.status).toBe(429);
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);
      const body = (await refused.json()) as { error: { code: string }; replies: Array<{ text: string }> };
      expect(body.error.code).toBe("rate_limited");
      expect(body.replies[0]?.text).toMatch(/稍等/);
    } finally {
      await limited.close();
    }
  });

  it("a client that hangs up mid-request is neither an error in the log nor a 5xx in the metrics", async () => {
    const socket = connect(t.port, "127.0.0.1");
    await new Promise<void>((resolve) => socket.once("connect", resolve));
    // Headers promise 1,000 bytes; 20 arrive, then the client goes away.
    socket.write(
      "POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 1000\r\n\r\n" +
        '{"user":"u","text":"',
    );
    await new Promise<void>((resolve) => setImmediate(resolve));
    socket.destroy();
    // The server has seen the hang-up once the metrics say so (no sleeping: poll the metrics route).
    let metrics = "";
    while (!/zhicheng_http_requests_aborted_total\{route="\/api\/chat"\} 1/.test(metrics))
      metrics = await (await fetch(`${t.base}/metrics`)).text();
    expect(metrics).not.toMatch(/status_code="5\d\d"/);
    expect(t.logs.filter((line) => Number(line.level) >= 50)).toEqual([]);
    await stillServing();
  });
});
