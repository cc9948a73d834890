// Logs: JSON lines with request ids, route and status, and never message text, profile values, tokens, cookies
// or user ids.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postJson, startServer, type TestServer } from "./support/http-harness.ts";

const KEY = "front-end-key-0123456789";
const SECRETS = {
  text: "机密消息内容SECRETTEXT",
  user: "SECRETUSER-4711",
  profileId: "SECRETPROFILEID",
  question: "机密问题SECRETQ",
  cookie: "SECRETCOOKIEVALUE0123456789012345678901234",
  body: "SECRETBODY",
};

let t: TestServer;
beforeAll(async () => {
  t = await startServer({ env: { API_KEYS: KEY } });
  await postJson(
    t.base,
    "/api/chat",
    { user: SECRETS.user, text: SECRETS.text },
    { authorization: `Bearer ${KEY}` },
  );
  await postJson(t.base, "/api/chat", { text: SECRETS.text }, { cookie: `zc_session=${SECRETS.cookie}` });
  await postJson(
    t.base,
    "/api/chat",
    { user: SECRETS.user, text: SECRETS.text },
    { authorization: `Bearer ${KEY}x` },
  );
  await postJson(t.base, "/api/check", {
    id: SECRETS.profileId,
    region: "beijing",
    targetLevel: "senior",
    graduated: "1987-03",
  });
  await postJson(t.base, "/api/check", `{"${SECRETS.body}": `);
  await fetch(`${t.base}/api/ask?q=${encodeURIComponent(SECRETS.question)}`);
  await fetch(`${t.base}/nowhere?q=${encodeURIComponent(SECRETS.question)}`);
});
afterAll(() => t.close());

describe("request logs", () => {
  it("never hold message text, profile values, tokens, cookies or raw user ids", () => {
    const text = t.logText();
    expect(text.length).toBeGreaterThan(0);
    for (const [what, secret] of Object.entries({ ...SECRETS, key: KEY, graduated: "1987-03" }))
      expect([what, text.includes(secret)]).toEqual([what, false]);
  });

  it("are one JSON line per request with its id, method, path, route pattern and status", () => {
    const completed = t.logs.filter((line) => line.msg === "request completed");
    expect(completed).toHaveLength(7);
    for (const line of completed) {
      expect(line.reqId).toMatch(/^[0-9a-f-]{36}$/);
      const { method, url } = line.req as { method?: unknown; url?: unknown };
      expect([typeof method, typeof url, typeof (line.res as { statusCode?: unknown }).statusCode]).toEqual([
        "string",
        "string",
        "number",
      ]);
    }
    const ask = completed.find((line) => (line.req as { url: string }).url === "/api/ask");
    expect(ask).toMatchObject({ req: { route: "/api/ask", url: "/api/ask" }, res: { statusCode: 200 } });
    expect(new Set(completed.map((line) => line.reqId)).size).toBe(7);
  });

  it("log refusals at info with their code, and no errors", () => {
    expect(t.logs.filter((line) => Number(line.level) >= 50)).toEqual([]);
    expect(t.logs.filter((line) => line.msg === "request refused").map((line) => line.code)).toEqual(
      expect.arrayContaining(["unauthorized", "invalid_json"]),
    );
    const statuses = t.logs.filter((line) => line.msg === "request completed").map((line) => line.res);
    expect(statuses).toEqual(
      expect.arrayContaining([{ statusCode: 401 }, { statusCode: 400 }, { statusCode: 404 }]),
    );
  });
});
