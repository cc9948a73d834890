// POST /api/chat maps each ChatOutcome to the contract's status, headers and body; a store outage is a 503.
import { afterAll, describe, expect, it } from "vitest";
import type { ChatOutcome, InboundMessage } from "../../src/shared/chat.ts";
import { Metrics } from "../../src/http/metrics.ts";
import { postJson, startServer, type TestServer } from "./support/http-harness.ts";

const opened: TestServer[] = [];
afterAll(() => Promise.all(opened.map((s) => s.close())));

/** A server whose chat turn answers `outcome`, recording the messages it was given. */
async function serverAnswering(outcome: ChatOutcome, listensOnLoopback = true) {
  const seen: InboundMessage[] = [];
  const t = await startServer({
    listensOnLoopback,
    chat: (msg) => {
      seen.push(msg);
      return Promise.resolve(outcome);
    },
  });
  opened.push(t);
  return { t, seen };
}

const REPLY = { text: "好的" };

describe("each outcome's response", () => {
  it.each<[string, ChatOutcome, number, string | null, Record<string, unknown>]>([
    ["answered", { status: "answered", replies: [REPLY] }, 200, null, { replies: [REPLY] }],
    [
      "duplicate",
      { status: "duplicate", replies: [REPLY] },
      200,
      null,
      { replies: [REPLY], duplicate: true },
    ],
    ["pending", { status: "pending", replies: [] }, 202, null, { pending: true, replies: [] }],
    [
      "rate-limited",
      { status: "rate-limited", replies: [{ text: "请稍等" }], retryAfterSeconds: 42 },
      429,
      "42",
      { error: { code: "rate_limited", message: "请稍等" }, replies: [{ text: "请稍等" }] },
    ],
    [
      "busy",
      { status: "busy", replies: [{ text: "服务繁忙" }], retryAfterSeconds: 5 },
      503,
      "5",
      { error: { code: "busy", message: "服务繁忙" }, replies: [{ text: "服务繁忙" }] },
    ],
  ])("%s", async (_name, outcome, status, retryAfter, body) => {
    const { t, seen } = await serverAnswering(outcome);
    const res = await postJson(t.base, "/api/chat", { user: "u1", text: "你好", messageId: "m-1" });
    expect([res.status, res.headers.get("retry-after"), await res.json()]).toEqual([
      status,
      retryAfter,
      body,
    ]);
    expect(seen).toEqual([{ channel: "web", user: "u1", text: "你好", messageId: "m-1" }]);
  });

  it("passes a cookie caller's conversation as cookie:<session id>, never the body's user", async () => {
    const { t, seen } = await serverAnswering({ status: "answered", replies: [REPLY] }, false);
    const res = await postJson(t.base, "/api/chat", { user: "someone-else", text: "你好" });
    const id = /^zc_session=([A-Za-z0-9_-]{43});/.exec(res.headers.get("set-cookie") ?? "")?.[1];
    expect(id).toBeDefined();
    expect(seen).toEqual([{ channel: "web", user: `cookie:${id}`, text: "你好" }]);
  });
});

describe("turn outcomes in the metrics", () => {
  it("are counted by channel and outcome by the wrapper the composition root puts around the chat turn", async () => {
    const metrics = new Metrics();
    metrics.declareChannel("web");
    const outcomes: ChatOutcome[] = [
      { status: "answered", replies: [] },
      { status: "busy", replies: [], retryAfterSeconds: 5 },
      { status: "busy", replies: [], retryAfterSeconds: 5 },
    ];
    const chat = metrics.countingTurns(() => Promise.resolve(outcomes.shift() as ChatOutcome));
    for (let i = 0; i < 3; i++) await chat({ channel: "web", user: "u", text: "x" });
    const text = await metrics.render();
    expect(text).toMatch(/zhicheng_chat_turns_total\{channel="web",outcome="answered"\} 1\n/);
    expect(text).toMatch(/zhicheng_chat_turns_total\{channel="web",outcome="busy"\} 2\n/);
    expect(text).toMatch(/zhicheng_chat_turns_total\{channel="web",outcome="pending"\} 0\n/);
  });
});

describe("a session store that does not answer", () => {
  it("makes chat a 503 with Retry-After and the busy text, and /healthz a 503 counted as a store error", async () => {
    // Nothing listens on port 1: every store command fails at once.
    const t = await startServer({ redisUrl: "redis://127.0.0.1:1" });
    opened.push(t);
    const res = await postJson(t.base, "/api/chat", { user: "u", text: "你好", messageId: "m" });
    expect(res.status).toBe(503);
    expect(Number(res.headers.get("retry-after"))).toBeGreaterThan(0);
    const body = (await res.json()) as { error: { code: string }; replies: Array<{ text: string }> };
    expect(body.error.code).toBe("busy");
    expect(body.replies[0]?.text).toMatch(/服务繁忙/);
    const health = await fetch(`${t.base}/healthz`);
    expect([health.status, await health.json()]).toEqual([503, { ok: false, store: "down" }]);
    const metrics = await (await fetch(`${t.base}/metrics`)).text();
    expect(metrics).toMatch(/zhicheng_store_errors_total\{source="health-check"\} 1\n/);
    expect(metrics).toMatch(/zhicheng_chat_turns_total\{channel="web",outcome="busy"\} 1\n/);
  });
});
