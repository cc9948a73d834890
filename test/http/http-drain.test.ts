// Draining in process, step by step: a request in flight finishes, readiness flips, no new connection is taken.
import { connect, type Socket } from "node:net";
import { describe, expect, it } from "vitest";
import type { ChatOutcome } from "../../src/shared/chat.ts";
import { startServer } from "./support/http-harness.ts";

/** Collects what the server writes on `socket` until it closes. */
function readAll(socket: Socket): Promise<string> {
  const chunks: Buffer[] = [];
  socket.on("data", (chunk: Buffer) => chunks.push(chunk));
  return new Promise((resolve) => socket.on("close", () => resolve(Buffer.concat(chunks).toString("utf8"))));
}

function connectTo(port: number): Promise<Socket> {
  return new Promise((resolve, reject) => {
    const socket = connect(port, "127.0.0.1");
    socket.once("connect", () => resolve(socket));
    socket.once("error", reject);
  });
}

describe("shutdown", () => {
  it("lets the request in flight finish, answers /readyz 503 meanwhile, refuses new connections", async () => {
    let release!: (outcome: ChatOutcome) => void;
    let arrived!: () => void;
    const inTurn = new Promise<void>((resolve) => (arrived = resolve));
    const t = await startServer({
      chat: () => {
        arrived();
        return new Promise<ChatOutcome>((resolve) => (release = resolve));
      },
    });
    // A connection that has begun its next request (headers not finished) when shutdown starts: not idle, so it
    // stays open, and that request arrives while the server drains. Sent with a first request in one write, so once
    // the first is answered the server has read the beginning of the second.
    const prober = await connectTo(t.port);
    const probed = readAll(prober);
    const firstAnswered = new Promise<void>((resolve) => prober.once("data", () => resolve()));
    prober.write("GET /readyz HTTP/1.1\r\nHost: x\r\n\r\nGET /readyz HTTP/1.1\r\nHost: x\r\n");
    await firstAnswered;

    const socket = await connectTo(t.port);
    const everything = readAll(socket);
    const body = JSON.stringify({ user: "u", text: "你好" });
    socket.write(
      `POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}`,
    );
    await inTurn;

    const shutdown = t.server.shutdown(60_000);
    while (t.server.app.server.listening) await new Promise((resolve) => setImmediate(resolve));
    await expect(connectTo(t.port)).rejects.toMatchObject({ code: "ECONNREFUSED" });
    prober.write("\r\n");
    const readiness = await probed;
    expect(readiness).toMatch(
      /^HTTP\/1\.1 200 OK\r\n[\s\S]*\{"ready":true\}HTTP\/1\.1 503 Service Unavailable\r\n/,
    );
    expect(readiness).toMatch(/connection: close[\s\S]*\{"ready":false\}$/i);

    release({ status: "answered", replies: [{ text: "好的" }] });
    expect(await shutdown).toEqual({ forced: false });
    const response = await everything;
    expect(response).toMatch(/^HTTP\/1\.1 200 OK\r\n/);
    expect(response).toMatch(/connection: close/i);
    expect(response).toMatch(/\{"replies":\[\{"text":"好的"\}\]\}$/);
    await t.close();
  });

  it("ends connections still open after the grace period", async () => {
    const t = await startServer({ logLevel: "debug" });
    // A slow client: headers promise a body that never comes.
    const socket = await connectTo(t.port);
    const closed = readAll(socket);
    socket.write(
      "POST /api/chat HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100\r\n\r\n{",
    );
    // Once its headers are in, the server holds it as a request (not an idle connection).
    while (!t.logs.some((line) => line.msg === "incoming request"))
      await new Promise((resolve) => setImmediate(resolve));
    expect(await t.server.shutdown(50)).toEqual({ forced: true });
    await closed;
    await t.close();
  });
});

describe("the connection cap", () => {
  it("drops a connection beyond HTTP_MAX_CONNECTIONS and takes new ones once a slot is free", async () => {
    const t = await startServer({ env: { HTTP_MAX_CONNECTIONS: "1" } });
    const first = await connectTo(t.port);
    const firstAnswered = new Promise<void>((resolve) => first.once("data", () => resolve()));
    first.write("GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n");
    await firstAnswered;
    // The one slot is held (keep-alive): a second connection is closed without an answer.
    const second = await connectTo(t.port);
    expect(await readAll(second)).toBe("");
    const firstClosed = readAll(first);
    first.end();
    await firstClosed;
    // The slot is free again (the server may take a moment to count the closed socket: ask until it answers).
    let status = 0;
    while (status !== 200)
      status = await fetch(`${t.base}/healthz`).then(
        (r) => r.status,
        () => 0,
      );
    await t.close();
  });
});
