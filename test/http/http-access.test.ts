// README "Access": the loopback default, API keys, session cookies, the metrics token and per-client rate limits.
import { randomUUID } from "node:crypto";
import { afterEach, describe, expect, it } from "vitest";
import { isLoopbackHost } from "../../src/http/access.ts";
import {
  errorOf,
  postJson,
  startServer,
  type TestServer,
  type TestServerOptions,
} from "./support/http-harness.ts";

const KEY = "front-end-key-0123456789";
const OTHER_KEY = "second-front-end-key-abcdef";

let servers: TestServer[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});
async function server(options: Parameters<typeof startServer>[0]): Promise<TestServer> {
  const s = await startServer(options);
  servers.push(s);
  return s;
}

/** A caller with its own cookie jar (as a browser keeps one per site). */
class Caller {
  private cookie: string | undefined;
  constructor(private readonly base: string) {}
  lastSetCookie: string | null = null;

  async say(text: string, extra: Record<string, unknown> = {}, headers: Record<string, string> = {}) {
    const res = await postJson(
      this.base,
      "/api/chat",
      { text, ...extra },
      {
        ...(this.cookie ? { cookie: this.cookie } : {}),
        ...headers,
      },
    );
    this.lastSetCookie = res.headers.get("set-cookie");
    if (this.lastSetCookie) this.cookie = this.lastSetCookie.split(";")[0];
    const body = (await res.json()) as { replies?: Array<{ text: string }> };
    return { status: res.status, text: (body.replies ?? []).map((r) => r.text).join("\n") };
  }
}

const ASKS_LEVEL = /哪一级职称/;

describe("loopback default (no API_KEYS, listening on 127.0.0.1)", () => {
  it("honours the body's user: two callers naming the same user share one conversation", async () => {
    const t = await server({});
    const user = `local-${randomUUID()}`;
    const a = new Caller(t.base);
    const b = new Caller(t.base);
    expect((await a.say("我能评高级工程师吗", { user })).status).toBe(200);
    // B names A's user and so continues A's conversation: the level is known, it is not asked for.
    const reply = await b.say("北京", { user });
    expect(reply.text).not.toMatch(ASKS_LEVEL);
    expect(b.lastSetCookie).toBeNull();
  });

  it("knows which listen addresses are loopback", () => {
    for (const host of ["127.0.0.1", "127.3.2.1", "::1", "[::1]", "localhost", "::ffff:127.0.0.1"])
      expect([host, isLoopbackHost(host)]).toEqual([host, true]);
    for (const host of ["0.0.0.0", "::", "10.1.2.3", "192.168.1.10", "example.com", "::ffff:10.0.0.1"])
      expect([host, isLoopbackHost(host)]).toEqual([host, false]);
  });
});

describe.each<[string, TestServerOptions]>([
  ["a public listen address", { listensOnLoopback: false }],
  ["API_KEYS set (even on loopback)", { env: { API_KEYS: KEY } }],
])("without a key, on %s, the session cookie owns the conversation", (_label, options) => {
  it("issues an HttpOnly, SameSite=Lax cookie for SESSION_TTL_DAYS, and ignores the body's user", async () => {
    const t = await server({ ...options, env: { ...options.env, SESSION_TTL_DAYS: "7" } });
    const a = new Caller(t.base);
    expect((await a.say("你好", { user: "whoever" })).status).toBe(200);
    const cookie = a.lastSetCookie ?? "";
    expect(cookie).toMatch(/^zc_session=[A-Za-z0-9_-]{43}; Max-Age=604800; Path=\/; HttpOnly; SameSite=Lax$/);
    // No user at all is fine: the cookie decides.
    expect((await a.say("你好")).status).toBe(200);
    expect(a.lastSetCookie?.split(";")[0]).toBe(cookie.split(";")[0]);
  });

  it("keeps another caller naming the same user out: it cannot read, change or /forget the conversation", async () => {
    const t = await server(options);
    const user = `victim-${randomUUID()}`;
    const owner = new Caller(t.base);
    const other = new Caller(t.base);
    expect((await owner.say("我能评高级工程师吗", { user })).status).toBe(200);
    // The other caller has its own, empty conversation: it is asked for the level the owner gave.
    expect((await other.say("北京", { user })).text).toMatch(ASKS_LEVEL);
    expect((await other.say("/forget", { user })).status).toBe(200);
    // The owner's conversation is intact: the level is still known.
    const next = await owner.say("北京", { user });
    expect(next.text).toMatch(/已记录：地区 北京/);
    expect(next.text).not.toMatch(ASKS_LEVEL);
  });

  it("starts afresh for a forged or malformed cookie", async () => {
    const t = await server(options);
    const res = await postJson(t.base, "/api/chat", { text: "你好" }, { cookie: "zc_session=not-a-session" });
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toMatch(/^zc_session=[A-Za-z0-9_-]{43};/);
  });
});

describe("the Secure flag", () => {
  it("is set for HTTPS, and X-Forwarded-Proto counts only with TRUST_PROXY", async () => {
    const plain = await server({ listensOnLoopback: false });
    const viaHeader = await postJson(
      plain.base,
      "/api/chat",
      { text: "你好" },
      { "x-forwarded-proto": "https" },
    );
    expect(viaHeader.headers.get("set-cookie")).not.toMatch(/Secure/);
    const proxied = await server({ listensOnLoopback: false, env: { TRUST_PROXY: "127.0.0.1" } });
    const overHttps = await postJson(
      proxied.base,
      "/api/chat",
      { text: "你好" },
      { "x-forwarded-proto": "https" },
    );
    expect(overHttps.headers.get("set-cookie")).toMatch(/; Secure/);
    const overHttp = await postJson(proxied.base, "/api/chat", { text: "你好" });
    expect(overHttp.headers.get("set-cookie")).not.toMatch(/Secure/);
  });
});

describe("API keys", () => {
  it("honour the body's user for a key holder, and answer 401 for a wrong key on every /api route", async () => {
    const t = await server({ env: { API_KEYS: `${KEY}, ${OTHER_KEY}` } });
    const user = `member-${randomUUID()}`;
    const front = { authorization: `Bearer ${OTHER_KEY}` };
    const a = new Caller(t.base);
    const b = new Caller(t.base);
    expect((await a.say("我能评高级工程师吗", { user }, front)).status).toBe(200);
    expect(a.lastSetCookie).toBeNull();
    expect((await b.say("北京", { user }, front)).text).not.toMatch(ASKS_LEVEL);
    const missingUser = await postJson(t.base, "/api/chat", { text: "你好" }, front);
    expect([missingUser.status, (await errorOf(missingUser)).code]).toEqual([400, "missing_field"]);

    for (const authorization of [`Bearer ${KEY}x`, "Bearer", "bearer nope", `Bearer ${KEY.slice(0, -1)}`]) {
      const chat = await postJson(t.base, "/api/chat", { user, text: "你好" }, { authorization });
      expect([authorization, chat.status, chat.headers.get("www-authenticate")]).toEqual([
        authorization,
        401,
        "Bearer",
      ]);
      expect(await errorOf(chat)).toEqual({ code: "unauthorized", message: "API 密钥无效。" });
      const ask = await fetch(`${t.base}/api/ask?q=${encodeURIComponent("公示几天")}`, {
        headers: { authorization },
      });
      expect(ask.status).toBe(401);
    }
    // Another scheme is not a key: the caller is treated as keyless (the cookie decides).
    const basic = await postJson(t.base, "/api/chat", { text: "你好" }, { authorization: "Basic dTpw" });
    expect(basic.status).toBe(200);
    expect(basic.headers.get("set-cookie")).toMatch(/^zc_session=/);
  });

  it("a Bearer token on a server without API_KEYS is a wrong key", async () => {
    const t = await server({});
    const res = await postJson(
      t.base,
      "/api/chat",
      { user: "u", text: "你好" },
      { authorization: "Bearer guess" },
    );
    expect(res.status).toBe(401);
  });
});

describe("METRICS_TOKEN", () => {
  it("is required as a Bearer token on /metrics when set", async () => {
    const token = "metrics-token-0123456789";
    const t = await server({ env: { METRICS_TOKEN: token } });
    const attempts: Array<Record<string, string>> = [
      {},
      { authorization: "Bearer wrong" },
      { authorization: `Basic ${token}` },
    ];
    for (const headers of attempts) {
      const res = await fetch(`${t.base}/metrics`, { headers });
      expect(res.status).toBe(401);
      expect((await errorOf(res)).code).toBe("unauthorized");
    }
    const ok = await fetch(`${t.base}/metrics`, { headers: { authorization: `Bearer ${token}` } });
    expect(ok.status).toBe(200);
    expect(await ok.text()).toMatch(/zhicheng_http_request_duration_seconds/);
  });
});

describe("per-client rate limits on /api/*", () => {
  const ask = (base: string, headers: Record<string, string> = {}) =>
    fetch(`${base}/api/ask?q=${encodeURIComponent("公示几天")}`, { headers });

  it("answer 429 with Retry-After and a Chinese message past HTTP_RATE_LIMIT_PER_MINUTE, and spare the probes", async () => {
    const t = await server({ env: { HTTP_RATE_LIMIT_PER_MINUTE: "3" } });
    for (let i = 0; i < 3; i++) expect((await ask(t.base)).status).toBe(200);
    const over = await ask(t.base);
    expect(over.status).toBe(429);
    expect(Number(over.headers.get("retry-after"))).toBeGreaterThan(0);
    expect((await errorOf(over)).message).toMatch(/请求过于频繁，请 \d+ 秒后再试。/);
    // The budget is the client's across /api/*: chat is refused too, with the polite text as a reply.
    const chat = await postJson(t.base, "/api/chat", { user: "u", text: "你好" });
    expect(chat.status).toBe(429);
    const body = (await chat.json()) as { error: { code: string }; replies: Array<{ text: string }> };
    expect(body.error.code).toBe("rate_limited");
    expect(body.replies[0]?.text).toMatch(/稍等/);
    for (const path of ["/healthz", "/readyz", "/metrics", "/"])
      expect([path, (await fetch(`${t.base}${path}`)).status]).toEqual([path, 200]);
  });

  it("count wrong keys against the client address", async () => {
    const t = await server({ env: { HTTP_RATE_LIMIT_PER_MINUTE: "2", API_KEYS: KEY } });
    const wrong = { authorization: "Bearer wrong-guess" };
    expect((await ask(t.base, wrong)).status).toBe(401);
    expect((await ask(t.base, wrong)).status).toBe(401);
    expect((await ask(t.base, wrong)).status).toBe(429);
  });

  it("key a key holder's budget by key and user", async () => {
    const t = await server({ env: { HTTP_RATE_LIMIT_PER_MINUTE: "2", API_KEYS: KEY } });
    const front = { authorization: `Bearer ${KEY}` };
    const say = (user: string) => postJson(t.base, "/api/chat", { user, text: "你好" }, front);
    expect((await say("alice")).status).toBe(200);
    expect((await say("alice")).status).toBe(200);
    expect((await say("alice")).status).toBe(429);
    expect((await say("bob")).status).toBe(200);
  });

  it("count X-Forwarded-For as the client only under TRUST_PROXY", async () => {
    for (const [trustProxy, secondClientStatus] of [
      [undefined, 429],
      ["127.0.0.1", 200],
    ] as const) {
      const env: Record<string, string> = { HTTP_RATE_LIMIT_PER_MINUTE: "1" };
      if (trustProxy) env.TRUST_PROXY = trustProxy;
      const t = await server({ env });
      expect((await ask(t.base, { "x-forwarded-for": "203.0.113.1" })).status).toBe(200);
      expect((await ask(t.base, { "x-forwarded-for": "203.0.113.2" })).status).toBe(secondClientStatus);
    }
  });
});
