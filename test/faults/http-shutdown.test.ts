// `serve` as its own process under SIGTERM: a request in flight finishes, idle connections close, new connections
// are refused, and a slow client cannot keep the process alive past SHUTDOWN_GRACE_MS.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import { once } from "node:events";
import { connect, createServer, type AddressInfo, type Socket } from "node:net";
import { createInterface } from "node:readline";
import { Redis } from "ioredis";
import { afterEach, describe, expect, it } from "vitest";
import { PROJECT_ROOT } from "../support/paths.ts";
import { deleteKeysUnder, TEST_REDIS_URL, uniquePrefix } from "../sessions/support/redis-test-prefix.ts";

interface ServeProcess {
  child: ChildProcessWithoutNullStreams;
  port: number;
  /** Resolves with the first JSON log line (stderr) that `matches`, seen before or after the call. */
  logLine: (matches: (line: Record<string, unknown>) => boolean) => Promise<Record<string, unknown>>;
  exited: Promise<number | null>;
  /** Every JSON log line seen so far. */
  lines: ReadonlyArray<Record<string, unknown>>;
}

const prefixes: string[] = [];
const children: ChildProcessWithoutNullStreams[] = [];
afterEach(async () => {
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill("SIGKILL");
  const admin = new Redis(TEST_REDIS_URL);
  for (const prefix of prefixes.splice(0)) await deleteKeysUnder(admin, prefix);
  admin.disconnect();
});

/** Starts `serve` as `npm start` does (node --import tsx, so signals reach the server itself), at debug level. */
async function serve(env: Record<string, string>): Promise<ServeProcess> {
  const prefix = uniquePrefix("http-shutdown");
  prefixes.push(prefix);
  const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", "serve"], {
    cwd: PROJECT_ROOT,
    env: {
      PATH: process.env.PATH,
      HOST: "127.0.0.1",
      PORT: "0",
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      LOG_LEVEL: "debug",
      ...env,
    },
  });
  children.push(child);
  const exited = once(child, "exit").then(([code]) => code as number | null);
  const lines: Array<Record<string, unknown>> = [];
  const waiting: Array<{
    matches: (line: Record<string, unknown>) => boolean;
    resolve: (line: Record<string, unknown>) => void;
  }> = [];
  createInterface({ input: child.stderr }).on("line", (text) => {
    let line: Record<string, unknown>;
    try {
      line = JSON.parse(text) as Record<string, unknown>;
    } catch {
      return; // not a log line (a warning of Node's)
    }
    lines.push(line);
    for (const w of waiting.splice(0)) {
      if (w.matches(line)) w.resolve(line);
      else waiting.push(w);
    }
  });
  const logLine = (matches: (line: Record<string, unknown>) => boolean) =>
    new Promise<Record<string, unknown>>((resolve, reject) => {
      const seen = lines.find(matches);
      if (seen) return resolve(seen);
      waiting.push({ matches, resolve });
      void exited.then((code) => reject(new Error(`serve exited (${code}) before the log line`)));
    });
  const [started] = (await once(createInterface({ input: child.stdout }), "line")) as [string];
  const port = Number(/:(\d+)\/$/.exec(started)?.[1]);
  expect(port).toBeGreaterThan(0);
  return { child, port, logLine, exited, lines };
}

function connectTo(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => resolve(socket));
    socket.once("error", reject);
  });
}

function readAll(socket: Socket): Promise<string> {
  const chunks: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  socket.on("error", () => {});
  return new Promise((resolve) => socket.on("close", () => resolve(Buffer.concat(chunks).toString("utf8"))));
}

const incomingChat = (line: Record<string, unknown>) =>
  line.msg === "incoming request" && (line.req as { url?: string } | undefined)?.url === "/api/chat";

describe("serve under SIGTERM", () => {
  it("finishes the request in flight, closes idle connections, refuses new ones, and exits 0", async () => {
    const server = await serve({ SHUTDOWN_GRACE_MS: "30000" });
    // An idle keep-alive connection: one request answered, the socket left open.
    const idle = await connectTo(server.port);
    const idleClosed = readAll(idle);
    const answered = new Promise<void>((resolve) => idle.once("data", () => resolve()));
    idle.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    await answered;
    // A slow upload: headers and half the body now, the rest after the signal.
    const body = JSON.stringify({ user: "slow", text: "我能评高级工程师吗", messageId: "slow-1" });
    const half = Buffer.from(body).subarray(0, 20);
    const rest = Buffer.from(body).subarray(20);
    const slow = await connectTo(server.port);
    const response = readAll(slow);
    slow.write(
      `POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n`,
    );
    slow.write(half);
    await server.logLine(incomingChat);

    server.child.kill("SIGTERM");
    await server.logLine((line) => String(line.msg).startsWith("shutting down"));
    await idleClosed;
    await expect(connectTo(server.port)).rejects.toMatchObject({ code: "ECONNREFUSED" });

    slow.write(rest);
    const text = await response;
    expect(text).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(text).toMatch(/connection: close/i);
    expect(text).toMatch(/"replies":\[\{"text":"[^"]+/);
    expect(await server.exited).toBe(0);
  });

  it("exits after the grace period although a slow client still holds a connection", async () => {
    const server = await serve({ SHUTDOWN_GRACE_MS: "500" });
    const slow = await connectTo(server.port);
    const cut = readAll(slow);
    // Headers promise a body that never comes.
    slow.write(
      "POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 500\r\n\r\n{",
    );
    await server.logLine(incomingChat);
    // And a client that never finishes its headers.
    const loris = await connectTo(server.port);
    const lorisCut = readAll(loris);
    loris.write("GET /healthz HTTP/1.1\r\nHost: x\r\nX-Slow: ");

    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
    await server.logLine((line) => line.msg === "grace period over: closing the connections still open");
    await Promise.all([cut, lorisCut]);
  });
});

describe("serve with its Redis down", () => {
  it("counts every Redis connection error on /metrics, logs each cause once a minute, and answers chat 503", async () => {
    // A port nothing listens on: every reconnection attempt fails with ECONNREFUSED.
    const probe = await new Promise<ReturnType<typeof createServer>>((resolve) => {
      const s = createServer();
      s.listen(0, "127.0.0.1", () => resolve(s));
    });
    const deadPort = (probe.address() as AddressInfo).port;
    await new Promise((resolve) => probe.close(resolve));
    const server = await serve({ REDIS_URL: `redis://127.0.0.1:${deadPort}` });
    const base = `http://127.0.0.1:${server.port}`;
    const chat = await fetch(`${base}/api/chat`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ user: "u", text: "你好" }),
    });
    expect(chat.status).toBe(503);
    // The client keeps reconnecting (capped backoff); wait until several attempts have failed.
    let errors = 0;
    for (let i = 0; i < 100 && errors < 3; i++) {
      const text = await (await fetch(`${base}/metrics`)).text();
      errors = Number(/zhicheng_store_errors_total\{source="redis-connection"\} (\d+)/.exec(text)?.[1] ?? 0);
      if (errors < 3) await new Promise((resolve) => setTimeout(resolve, 100));
    }
    expect(errors).toBeGreaterThanOrEqual(3);
    const refusedLines = server.lines.filter((line) => String(line.msg).includes("ECONNREFUSED"));
    expect(refusedLines).toHaveLength(1);
    server.child.kill("SIGTERM");
    expect(await server.exited).toBe(0);
  });
});
