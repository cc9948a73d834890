// Fuzz of every route on a real listening server with the store in Redis: methods, paths, query strings, headers
// and bodies of any shape and size (huge, not UTF-8). Never a 5xx, every refusal in the contract's Chinese shape,
// and the server still answers /healthz afterwards.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { MAX_BODY_BYTES } from "../../src/http/request-schemas.ts";
import { CHINESE, startServer, type TestServer } from "./support/http-harness.ts";
import { rawExchange } from "./support/raw-http.ts";

const KEY = "fuzz-front-end-key-0123456789";
const ROUTES = [
  "/",
  "/healthz",
  "/readyz",
  "/metrics",
  "/api/chat",
  "/api/ask",
  "/api/clauses",
  "/api/check",
  "/api/deadlines",
];

let loopback: TestServer;
let guarded: TestServer;
beforeAll(async () => {
  loopback = await startServer();
  // A public deployment: API keys, cookies, a metrics token.
  guarded = await startServer({
    listensOnLoopback: false,
    env: { API_KEYS: KEY, METRICS_TOKEN: "fuzz-metrics-token-0123456789" },
  });
});
afterAll(() => Promise.all([loopback?.close(), guarded?.close()]));

/** Text of every kind: ASCII, CJK, astral characters, lone surrogates (broken UTF-16), controls. */
const anyText = (maxLength: number) =>
  fc.oneof(
    fc.string({ maxLength }),
    fc.string({ unit: "grapheme", maxLength }),
    fc.string({ unit: "binary", maxLength }),
    fc.constantFrom(
      "",
      " ",
      "我能评高级工程师吗",
      "北京",
      "/forget",
      "/help",
      "破格",
      "2024-02-30",
      "0",
      "-1",
      "1e3",
    ),
  );

const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  anyText(50),
  fc.integer(),
  fc.double(),
  fc.boolean(),
  fc.constant(null),
  fc.array(anyText(10), { maxLength: 3 }),
  fc.dictionary(anyText(8), anyText(8), { maxKeys: 3 }),
);

const CHAT_LINES = [
  "我能评高级工程师吗",
  "北京",
  "硕士",
  "2019年7月毕业",
  "国企",
  "公示几天？",
  "/forget",
  "/help",
  "破格",
];

/** Mostly a valid value, sometimes anything. */
const mostly = <T>(valid: fc.Arbitrary<T>) =>
  fc.oneof({ arbitrary: valid, weight: 12 }, { arbitrary: anyValue, weight: 1 });

const chatBody = fc
  .record(
    {
      user: fc.oneof({ arbitrary: fc.stringMatching(/^[a-z0-9-]{1,12}$/), weight: 8 }, anyText(20), anyValue),
      text: fc.oneof({ arbitrary: fc.constantFrom(...CHAT_LINES), weight: 8 }, anyText(100), anyValue),
      messageId: fc.oneof(
        { arbitrary: fc.uuid(), weight: 4 },
        anyText(20),
        fc.string({ minLength: 120, maxLength: 140 }),
        anyValue,
      ),
    },
    { requiredKeys: ["text"] },
  )
  .map((o) => JSON.stringify(o));

const profileBody = fc
  .record(
    {
      id: mostly(fc.uuid()),
      region: mostly(fc.constantFrom("beijing", "zhejiang", "sichuan-bazhong")),
      targetLevel: mostly(fc.constantFrom("engineer", "senior", "professor")),
      education: mostly(fc.constantFrom("bachelor", "master", "doctorate")),
      graduated: mostly(fc.constantFrom("2019-07", "2012-07", "2008-07", "2019-13")),
      specialtyWorkSince: mostly(fc.constantFrom("2015-07")),
      currentTitle: mostly(fc.constant({ level: "engineer", series: "same", obtained: "2019-01" })),
      awards: mostly(fc.constant([{ kind: "provincial-sci-tech-award", rank: 1 }])),
      achievements: mostly(fc.nat({ max: 5 })),
      performanceMet: mostly(fc.boolean()),
      employerType: mostly(fc.constantFrom("state-owned", "private", "retired")),
      asOf: mostly(fc.constantFrom("2024-12-31", "2024-06-30", "2025-01-15", "2024-02-30")),
    },
    { requiredKeys: ["region", "targetLevel"] },
  )
  .map((o) => JSON.stringify(o));

/** Bodies of any shape: any JSON, text, raw bytes (invalid UTF-8), big and over the limit. */
const wildBody: fc.Arbitrary<string | Uint8Array | undefined> = fc.oneof(
  fc.constant(undefined),
  chatBody,
  profileBody,
  fc.json({ maxDepth: 4 }),
  anyText(200),
  fc.uint8Array({ maxLength: 300 }),
  fc.integer({ min: 1, max: 3 }).map((k) => JSON.stringify({ user: "u", text: "字".repeat(k * 2_000) })),
  fc.constant(`{"text":"${"a".repeat(MAX_BODY_BYTES + 10)}"}`),
);

/** Query strings: the routes' parameters (and others) with values of any kind, repeated or not. */
const queryPart = fc
  .array(
    fc.tuple(
      fc.oneof(
        fc.constantFrom("q", "limit", "region", "level", "after", "format", "asOf", "user"),
        anyText(6),
      ),
      anyText(40),
    ),
    { maxLength: 4 },
  )
  .map((pairs) => pairs.map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(v)}`).join("&"));

const anyPath = fc.oneof(
  fc.constantFrom(...ROUTES),
  fc.constantFrom(...ROUTES).map((r) => `${r}/`),
  fc.constantFrom(...ROUTES).map((r) => r.toUpperCase()),
  anyText(30).map((s) => `/${encodeURIComponent(s)}`),
  fc.constantFrom("/%", "/%zz", "/api/%E0%A4%A", "//api/chat", "/api/../api/chat", "/api/chat?x=%"),
);

/** Header values fetch can send (a ByteString without CR/LF/NUL). */
const headerValue = fc.oneof(
  fc.string({ maxLength: 60 }).map((s) => s.replace(/[\r\n\0]/g, "")),
  fc.stringMatching(/^[\x20-\x7e]{0,80}$/),
);

const anyHeaders = fc.record(
  {
    "content-type": fc.oneof(
      fc.constantFrom(
        "application/json",
        "application/json; charset=utf-8",
        "application/json; charset=latin1",
        "text/plain",
        "application/x-www-form-urlencoded",
        "multipart/form-data; boundary=x",
        "",
      ),
      headerValue,
    ),
    authorization: fc.oneof(
      fc.constantFrom(`Bearer ${KEY}`, "Bearer", "Bearer  ", "bearer x", "Basic dTpw"),
      headerValue.map((v) => `Bearer ${v}`),
      headerValue,
    ),
    cookie: fc.oneof(
      fc.constantFrom(
        "zc_session=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA",
        "zc_session=",
        "=;;=",
        "a=b; zc_session=%",
      ),
      headerValue,
    ),
    "x-forwarded-for": headerValue,
    "x-forwarded-proto": fc.constantFrom("https", "http", "gopher", ""),
    accept: headerValue,
    "accept-encoding": fc.constantFrom("gzip", "br", "identity", "*"),
  },
  { requiredKeys: [] },
);

const anyMethod = fc.constantFrom("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS");

interface FuzzRequest {
  method: string;
  path: string;
  query: string;
  headers: Record<string, string>;
  body: string | Uint8Array | undefined;
}

/** A request a client of the route might send: its method, JSON, its parameters, odd values. */
const plausibleRequest: fc.Arbitrary<FuzzRequest> = fc.oneof(
  fc.record({
    method: fc.constant("POST"),
    path: fc.constant("/api/chat"),
    query: fc.constant(""),
    headers: fc.oneof(
      fc.constant({ "content-type": "application/json" }),
      fc.constant({ "content-type": "application/json", authorization: `Bearer ${KEY}` }),
      anyHeaders.map((h) => ({ ...h, "content-type": "application/json" })),
    ),
    body: fc.oneof({ arbitrary: chatBody, weight: 4 }, { arbitrary: wildBody, weight: 1 }),
  }),
  fc.record({
    method: fc.constant("POST"),
    path: fc.constant("/api/check"),
    query: fc.constant(""),
    headers: fc.constant({ "content-type": "application/json" }),
    body: fc.oneof({ arbitrary: profileBody, weight: 4 }, { arbitrary: wildBody, weight: 1 }),
  }),
  fc.record({
    method: fc.constantFrom("GET", "HEAD"),
    path: fc.constantFrom("/api/ask", "/api/clauses"),
    query: fc
      .oneof(
        {
          arbitrary: fc.tuple(
            fc.constantFrom(...CHAT_LINES, "巴中评审费多少钱"),
            fc.constantFrom("", "&limit=3", "&limit=0"),
          ),
          weight: 3,
        },
        { arbitrary: fc.tuple(queryPart, fc.constant("")), weight: 1 },
      )
      .map(([q, rest]) => (rest === "" && q.includes("=") ? q : `q=${encodeURIComponent(q)}${rest}`)),
    headers: fc.constant({}),
    body: fc.constant(undefined),
  }),
  fc.record({
    method: fc.constantFrom("GET", "HEAD"),
    path: fc.constant("/api/deadlines"),
    query: fc.oneof(
      fc
        .tuple(
          fc.constantFrom("region=beijing", "region=zhejiang", "region=x", ""),
          fc.constantFrom("&level=senior", "&after=2024-10-01", "&after=tomorrow", "&format=ics", ""),
        )
        .map(([a, b]) => `${a}${b}`),
      queryPart,
    ),
    headers: fc.constant({}),
    body: fc.constant(undefined),
  }),
  fc.record({
    method: fc.constantFrom("GET", "HEAD"),
    path: fc.constantFrom(
      "/api/ask",
      "/api/clauses",
      "/api/deadlines",
      "/",
      "/healthz",
      "/readyz",
      "/metrics",
    ),
    query: queryPart,
    headers: fc.oneof(fc.constant({}), anyHeaders),
    body: fc.constant(undefined),
  }),
);

/** Anything: any method, path, query, headers and body. */
const wildRequest: fc.Arbitrary<FuzzRequest> = fc.record({
  method: anyMethod,
  path: anyPath,
  query: queryPart,
  headers: anyHeaders,
  body: wildBody,
});

/** Checks one response: below 500, and a refusal is {error:{code,message}} with a Chinese message. */
async function checkResponse(res: Response, method: string): Promise<void> {
  expect(res.status).toBeLessThan(500);
  const text = await res.text();
  if (res.status < 400 || method === "HEAD") return;
  const body = JSON.parse(text) as { error?: { code?: unknown; message?: unknown } };
  expect(typeof body.error?.code).toBe("string");
  expect(String(body.error?.message)).toMatch(CHINESE);
}

describe("every route under fuzzed requests", () => {
  it("answers below 500, refusals in Chinese, over fetch", async () => {
    let reached = 0;
    await fc.assert(
      fc.asyncProperty(
        fc.boolean(),
        fc.oneof({ arbitrary: plausibleRequest, weight: 3 }, { arbitrary: wildRequest, weight: 2 }),
        async (onGuarded, { method, path, query, headers, body }) => {
          const t = onGuarded ? guarded : loopback;
          const url = `${t.base}${path}${query ? (path.includes("?") ? "&" : "?") + query : ""}`;
          let res: Response;
          try {
            res = await fetch(url, {
              method,
              headers,
              ...(body !== undefined && method !== "GET" && method !== "HEAD" ? { body } : {}),
            });
          } catch (error) {
            // fetch itself refuses some inputs (a header value it cannot send): nothing reached the server.
            if (error instanceof TypeError && !(error.cause instanceof Error)) return;
            throw error;
          }
          reached++;
          await checkResponse(res, method);
        },
      ),
      { numRuns: 300, seed: 20_240_901 },
    );
    // Most runs reached the server: the property is not vacuous.
    expect(reached).toBeGreaterThan(250);
  });

  it("answers below 500 to raw bytes on the socket (request lines and headers fetch would never send)", async () => {
    const rawRequest = fc
      .tuple(
        fc.oneof(anyMethod, fc.stringMatching(/^[A-Z]{1,8}$/), anyText(6)),
        fc.oneof(
          anyPath,
          fc.constantFrom("http://[::1", "http://x/api/chat", "*", "", "/api/ask?q=%ff%fe", "/\u0000"),
        ),
        fc.constantFrom("HTTP/1.1", "HTTP/1.0", "HTTP/2.0", "HTTP/1.1 extra", ""),
        fc.array(fc.tuple(fc.stringMatching(/^[A-Za-z-]{0,12}$/), fc.uint8Array({ maxLength: 40 })), {
          maxLength: 4,
        }),
        fc.oneof(fc.constant(undefined), fc.nat({ max: 400 })),
        fc.uint8Array({ maxLength: 300 }),
      )
      .map(([method, path, version, headers, length, body]) =>
        Buffer.concat([
          Buffer.from(`${method} ${path} ${version}\r\nHost: fuzz\r\n`, "utf8"),
          ...headers.flatMap(([name, value]) => [
            Buffer.from(`${name}: `),
            Buffer.from(value),
            Buffer.from("\r\n"),
          ]),
          Buffer.from(length === undefined ? "" : `Content-Length: ${length}\r\n`),
          Buffer.from("\r\n"),
          Buffer.from(body),
        ]),
      );
    await fc.assert(
      fc.asyncProperty(fc.boolean(), rawRequest, async (onGuarded, bytes) => {
        const response = await rawExchange((onGuarded ? guarded : loopback).port, bytes, { end: true });
        expect(response).not.toMatch(/^HTTP\/1\.[01] 5/);
      }),
      { numRuns: 150, seed: 20_240_902 },
    );
  });

  it("still answers /healthz on both servers, and counted no 5xx", async () => {
    for (const t of [loopback, guarded]) {
      expect(await (await fetch(`${t.base}/healthz`)).json()).toEqual({ ok: true, store: "up" });
      expect(await t.metrics.render()).not.toMatch(/status_code="5\d\d"/);
      expect(t.logs.filter((line) => Number(line.level) >= 50)).toEqual([]);
    }
  });
});
