// The HTTP contract under `serve`: routes, shapes, errors in Chinese, and chat sessions in real Redis.
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { randomUUID } from "node:crypto";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { createChat, createServices } from "../../src/main.ts";
import { chatTurn, type ChatTurnDeps } from "../../src/app/chat-turn.ts";
import { createHttpServer, MAX_BODY_BYTES } from "../../src/http/http-server.ts";
import { fixedClock } from "../../src/shared/clock.ts";
import { deleteKeysUnder, TEST_REDIS_URL, uniquePrefix } from "../sessions/support/redis-test-prefix.ts";

const prefix = uniquePrefix("http");
let server: Server;
let base: string;
let chat: ChatTurnDeps;

beforeAll(async () => {
  const config = loadConfig({
    REDIS_URL: "redis://127.0.0.1:6379",
    REDIS_PREFIX: prefix,
  });
  const services = await createServices(config, fixedClock("2024-09-01T04:00:00Z"));
  chat = await createChat(services);
  server = createHttpServer({
    services,
    chat: (m) => chatTurn({ channel: "web", ...m }, chat),
    storeUp: () => chat.store.ping().then(() => true),
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  await chat.store.close();
  const admin = new Redis(TEST_REDIS_URL);
  await deleteKeysUnder(admin, prefix);
  admin.disconnect();
});

const post = (path: string, body: unknown) =>
  fetch(`${base}${path}`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });

describe("HTTP API", () => {
  it("serves the web console, health and metrics", async () => {
    const page = await fetch(`${base}/`);
    expect(page.headers.get("content-type")).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain("职称助手");
    expect(html).not.toMatch(/<script[^>]+src=["']https?:/);
    expect(await (await fetch(`${base}/healthz`)).json()).toEqual({ ok: true, store: "up" });
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toMatch(/zhicheng_http_requests_total\{route="\/healthz",status="200"\} 1/);
  });

  it("answers GET /api/ask with citations, and refuses an empty question in Chinese", async () => {
    const r = (await (await fetch(`${base}/api/ask?q=${encodeURIComponent("巴中评审费多少钱")}`)).json()) as {
      grounded: boolean;
      citations: Array<{ docId: string }>;
    };
    expect(r.grounded).toBe(true);
    expect(r.citations[0]?.docId).toBe("bazhong-digital-2024");
    const empty = await fetch(`${base}/api/ask?q=%20`);
    expect(empty.status).toBe(400);
    expect(((await empty.json()) as { error: { message: string } }).error.message).toMatch(/[\u4e00-\u9fff]/);
  });

  it("returns ranked clauses, reports and deadlines in the contract's shapes", async () => {
    const clauses = (await (
      await fetch(`${base}/api/clauses?q=${encodeURIComponent("破格")}&limit=2`)
    ).json()) as {
      query: string;
      clauses: unknown[];
    };
    expect(clauses.query).toBe("破格");
    expect(clauses.clauses.length).toBeLessThanOrEqual(2);
    const report = (await (
      await post("/api/check", {
        region: "beijing",
        targetLevel: "assistant",
        education: "master",
        graduated: "2024-06",
      })
    ).json()) as { verdict: string; criteria: unknown[] };
    expect(["eligible", "ineligible", "undetermined"]).toContain(report.verdict);
    expect(report.criteria.length).toBeGreaterThan(0);
    const deadlines = (await (await fetch(`${base}/api/deadlines?region=sichuan-bazhong`)).json()) as {
      deadlines: Array<{ region: string }>;
    };
    expect(deadlines.deadlines.every((d) => d.region === "sichuan-bazhong")).toBe(true);
    const ics = await fetch(`${base}/api/deadlines?format=ics`);
    expect(await ics.text()).toMatch(/^BEGIN:VCALENDAR/);
  });

  it("rejects malformed and oversized bodies with a Chinese message", async () => {
    const bad = await post("/api/check", "{oops");
    expect(bad.status).toBe(400);
    expect(((await bad.json()) as { error: { code: string } }).error.code).toBe("invalid_json");
    const huge = await post("/api/chat", { user: "x", text: "字".repeat(MAX_BODY_BYTES) });
    expect(huge.status).toBe(413);
    const noUser = await post("/api/chat", { text: "你好" });
    expect(noUser.status).toBe(400);
    expect((await fetch(`${base}/nope`)).status).toBe(404);
  });

  it("chats with a session that remembers, and answers a repeated messageId once", async () => {
    const user = `u-${randomUUID()}`;
    const first = (await (
      await post("/api/chat", { user, text: "我能评高级工程师吗", messageId: "m1" })
    ).json()) as {
      replies: Array<{ text: string }>;
    };
    expect(first.replies.length).toBeGreaterThan(0);
    const again = (await (
      await post("/api/chat", { user, text: "我能评高级工程师吗", messageId: "m1" })
    ).json()) as {
      replies: unknown[];
    };
    expect(again.replies).toEqual([]);
    const second = (await (await post("/api/chat", { user, text: "北京", messageId: "m2" })).json()) as {
      replies: Array<{ text: string }>;
    };
    // The level from the first message is remembered: the assistant goes on to a further question.
    expect(second.replies.map((r) => r.text).join("\n")).not.toMatch(/哪一级|什么级别/);
  });
});

describe("health", () => {
  it("reports 503 when the session store does not answer", async () => {
    const config = loadConfig({});
    const services = await createServices(config, fixedClock("2024-09-01T04:00:00Z"), []);
    const down = createHttpServer({ services, storeUp: () => Promise.resolve(false) });
    await new Promise<void>((resolve) => down.listen(0, "127.0.0.1", resolve));
    try {
      const res = await fetch(`http://127.0.0.1:${(down.address() as AddressInfo).port}/healthz`);
      expect(res.status).toBe(503);
      expect(await res.json()).toEqual({ ok: false, store: "down" });
    } finally {
      await new Promise<void>((resolve) => down.close(() => resolve()));
    }
  });
});
