// A local fake of DingTalk's Stream gateway on 127.0.0.1: connections/open, the WebSocket speaking the Stream
// protocol (SYSTEM ping/disconnect, CALLBACK pushes and their acks, redelivery of unacknowledged pushes), session
// webhooks that receive replies, and the robot send APIs with an access token.
// https://open.dingtalk.com/document/direction/stream-mode-protocol-access-description
import { randomUUID } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { WebSocketServer, type WebSocket } from "ws";

export const TOPIC_ROBOT = "/v1.0/im/bot/messages/get";

/** What a scripted failure answers instead of accepting a reply. */
export type WebhookFailure =
  { status: 500 | 502 | 503 } | { status: 429; retryAfter?: number } | { errcode: number };

export interface Sender {
  staffId: string;
  nick?: string;
}

export type Where = { kind: "direct" } | { kind: "group"; conversationId: string; title?: string };

/** A reply the fake accepted on a session webhook or a robot API. */
export interface Received {
  via: "session" | "oToMessages" | "groupMessages";
  /** The session's id (session webhook), the user ids or the group id (robot APIs). */
  to: string;
  body: Record<string, unknown>;
  at: number;
  /** The markdown text, for assertions. */
  text: string;
}

export interface Pushed {
  msgId: string;
  streamMessageId: string;
  session: string;
  frame: string;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let raw = "";
    req.setEncoding("utf8");
    req.on("data", (c: string) => (raw += c));
    req.on("end", () => resolve(raw));
    req.on("error", reject);
  });
}

function json(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { "content-type": "application/json", ...headers });
  res.end(JSON.stringify(body));
}

export class FakeDingTalk {
  readonly clientId = "dingtestclientid";
  readonly clientSecret = "test-secret";
  readonly received: Received[] = [];
  /** Every POST to a session webhook or robot API, failed ones included (for backoff timings). */
  readonly attempts: Array<{ via: Received["via"]; at: number }> = [];
  readonly acks: Array<{ messageId: string; at: number; data: unknown }> = [];
  readonly opens: Array<{ at: number; body: Record<string, unknown> }> = [];
  readonly pingEchoes: string[] = [];
  /** Called when an ack frame arrives (before it is recorded), e.g. to look into Redis at that instant. */
  onAck: ((messageId: string) => void) | undefined;
  /** Called with each reply the fake accepts, e.g. to time replies. */
  onReceived: ((r: Received) => void) | undefined;
  /** Un-acknowledged pushes are pushed again after this long (DingTalk: within about 60 s). */
  repushAfterMs = 60_000;

  readonly #server: Server;
  readonly #wss = new WebSocketServer({ noServer: true });
  readonly #tickets = new Set<string>();
  readonly #sockets = new Set<WebSocket>();
  readonly #openFailures: number[] = [];
  #upgradeFailures = 0;
  readonly #webhookFailures: WebhookFailure[] = [];
  readonly #repush = new Map<string, NodeJS.Timeout>();
  readonly #sessions = new Map<string, Pushed>();
  #accessTokens = new Set<string>();

  private constructor() {
    this.#server = createServer((req, res) => void this.#handle(req, res));
    this.#server.on("upgrade", (req, socket, head) => {
      const url = new URL(req.url ?? "/", "http://x");
      const ticket = url.searchParams.get("ticket") ?? "";
      const refuse = this.#upgradeFailures > 0;
      if (refuse) this.#upgradeFailures--;
      if (refuse || url.pathname !== "/connect" || !this.#tickets.delete(ticket)) {
        socket.end("HTTP/1.1 401 Unauthorized\r\n\r\n");
        return;
      }
      this.#wss.handleUpgrade(req, socket, head, (ws) => this.#onConnection(ws));
    });
  }

  static async start(): Promise<FakeDingTalk> {
    const fake = new FakeDingTalk();
    await new Promise<void>((resolve) => fake.#server.listen(0, "127.0.0.1", resolve));
    return fake;
  }

  get base(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  get gatewayUrl(): string {
    return `${this.base}/v1.0/gateway/connections/open`;
  }

  get connections(): number {
    return this.#sockets.size;
  }

  async close(): Promise<void> {
    for (const t of this.#repush.values()) clearTimeout(t);
    for (const ws of this.#sockets) ws.terminate();
    this.#wss.close();
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** The next connections/open requests answer these HTTP statuses, in order. */
  failOpen(...statuses: number[]): void {
    this.#openFailures.push(...statuses);
  }

  /** The next WebSocket upgrades are refused (401) although their tickets are good: the socket errors, then closes. */
  failUpgrades(count: number): void {
    this.#upgradeFailures += count;
  }

  /** The next replies (session webhook or robot API) fail as scripted, in order. */
  failReplies(...failures: WebhookFailure[]): void {
    this.#webhookFailures.push(...failures);
  }

  /**
   * A user's message to the robot, pushed as a CALLBACK frame to one connection (at random, as DingTalk balances
   * several). `expiresInMs` sets sessionWebhookExpiredTime. In a group, DingTalk only pushes messages that @ the
   * robot: `isInAtList` is true.
   */
  push(sender: Sender, where: Where, text: string, opts: { expiresInMs?: number } = {}): Pushed {
    const now = Date.now();
    const msgId = `msg${randomUUID().replace(/-/g, "")}`;
    const session = randomUUID();
    const group = where.kind === "group";
    const data = {
      conversationId: group ? where.conversationId : `cid-direct-${sender.staffId}`,
      atUsers: group ? [{ dingtalkId: "$:LWCP_v1:$robot" }] : [],
      chatbotCorpId: "dingcorp",
      chatbotUserId: "$:LWCP_v1:$robot",
      msgId,
      senderNick: sender.nick ?? sender.staffId,
      isAdmin: false,
      senderStaffId: sender.staffId,
      sessionWebhookExpiredTime: now + (opts.expiresInMs ?? 90 * 60_000),
      createAt: now,
      senderCorpId: "dingcorp",
      conversationType: group ? "2" : "1",
      senderId: `$:LWCP_v1:$${sender.staffId}`,
      ...(group ? { conversationTitle: where.title ?? "群" } : {}),
      isInAtList: group,
      sessionWebhook: `${this.base}/robot/sendBySession?session=${session}`,
      text: { content: group ? ` ${text}` : text },
      robotCode: this.clientId,
      msgtype: "text",
    };
    const pushed: Pushed = {
      msgId,
      streamMessageId: randomUUID(),
      session,
      frame: "",
    };
    pushed.frame = JSON.stringify({
      specVersion: "1.0",
      type: "CALLBACK",
      headers: {
        appId: "app",
        connectionId: "conn",
        contentType: "application/json",
        messageId: pushed.streamMessageId,
        time: String(now),
        topic: TOPIC_ROBOT,
      },
      data: JSON.stringify(data),
    });
    this.#sessions.set(session, pushed);
    this.send(pushed);
    return pushed;
  }

  /** Sends a pushed message's frame (again, for a redelivery), and schedules a re-push until it is acked. */
  send(pushed: Pushed): void {
    const sockets = [...this.#sockets];
    const ws = sockets[Math.floor(Math.random() * sockets.length)];
    if (ws) ws.send(pushed.frame);
    clearTimeout(this.#repush.get(pushed.streamMessageId));
    this.#repush.set(
      pushed.streamMessageId,
      setTimeout(() => this.send(pushed), this.repushAfterMs),
    );
  }

  /** A SYSTEM ping on every connection; the SDK answers each with the same data. */
  ping(): string {
    const opaque = randomUUID();
    for (const ws of this.#sockets)
      ws.send(
        JSON.stringify({
          specVersion: "1.0",
          type: "SYSTEM",
          headers: {
            contentType: "application/json",
            messageId: randomUUID(),
            time: String(Date.now()),
            topic: "ping",
          },
          data: JSON.stringify({ opaque }),
        }),
      );
    return opaque;
  }

  /** A SYSTEM disconnect on every connection, then the connections are closed (as before a gateway restart). */
  disconnectAll(): void {
    for (const ws of this.#sockets) {
      ws.send(
        JSON.stringify({
          specVersion: "1.0",
          type: "SYSTEM",
          headers: {
            contentType: "application/json",
            messageId: randomUUID(),
            time: String(Date.now()),
            topic: "disconnect",
          },
          data: JSON.stringify({ reason: "gateway restart" }),
        }),
      );
      ws.close(1000, "disconnect");
    }
  }

  /** Replies accepted for a pushed message (its session webhook). */
  repliesTo(pushed: Pushed): Received[] {
    return this.received.filter((r) => r.via === "session" && r.to === pushed.session);
  }

  async until(condition: () => boolean, timeoutMs = 15_000, what = "condition"): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (!condition()) {
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
      await new Promise((r) => setTimeout(r, 20));
    }
  }

  #onConnection(ws: WebSocket): void {
    this.#sockets.add(ws);
    ws.on("close", () => this.#sockets.delete(ws));
    ws.on("message", (raw: Buffer) => {
      let frame: { code?: number; headers?: { messageId?: string; topic?: string }; data?: string };
      try {
        frame = JSON.parse(raw.toString("utf8")) as typeof frame;
      } catch {
        return;
      }
      const messageId = frame.headers?.messageId;
      if (frame.headers?.topic === "ping") {
        this.pingEchoes.push(String(frame.data));
        return;
      }
      if (frame.code === 200 && messageId) {
        this.onAck?.(messageId);
        clearTimeout(this.#repush.get(messageId));
        this.#repush.delete(messageId);
        this.acks.push({
          messageId,
          at: Date.now(),
          data: frame.data ? (JSON.parse(frame.data) as unknown) : undefined,
        });
      }
    });
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://x");
    const raw = await readBody(req);
    let body: Record<string, unknown> = {};
    try {
      body = raw ? (JSON.parse(raw) as Record<string, unknown>) : {};
    } catch {
      return json(res, 400, { code: "InvalidJson", message: "invalid json" });
    }
    if (req.method !== "POST") return json(res, 405, {});
    switch (url.pathname) {
      case "/v1.0/gateway/connections/open": {
        this.opens.push({ at: Date.now(), body });
        const status = this.#openFailures.shift();
        if (status) return json(res, status, { code: "Failure", message: `scripted ${status}` });
        if (body.clientId !== this.clientId || body.clientSecret !== this.clientSecret)
          return json(res, 401, {
            code: "InvalidAuthentication",
            message: "clientId or clientSecret is wrong",
          });
        const ticket = randomUUID();
        this.#tickets.add(ticket);
        return json(res, 200, {
          endpoint: `ws://127.0.0.1:${(this.#server.address() as AddressInfo).port}/connect`,
          ticket,
        });
      }
      case "/robot/sendBySession":
        return this.#accept(res, "session", url.searchParams.get("session") ?? "", body, () => {
          const pushed = this.#sessions.get(url.searchParams.get("session") ?? "");
          if (!pushed) return { errcode: 300001, errmsg: "session 不存在" };
          const data = JSON.parse((JSON.parse(pushed.frame) as { data: string }).data) as {
            sessionWebhookExpiredTime: number;
          };
          return data.sessionWebhookExpiredTime < Date.now()
            ? { errcode: 300001, errmsg: "session 已过期" }
            : undefined;
        });
      case "/v1.0/oauth2/accessToken": {
        if (body.appKey !== this.clientId || body.appSecret !== this.clientSecret)
          return json(res, 400, {
            code: "invalidClientIdOrSecret",
            message: "无效的clientId或者clientSecret",
          });
        const token = randomUUID();
        this.#accessTokens.add(token);
        return json(res, 200, { accessToken: token, expireIn: 7200 });
      }
      case "/v1.0/robot/oToMessages/batchSend":
      case "/v1.0/robot/groupMessages/send": {
        if (!this.#accessTokens.has(String(req.headers["x-acs-dingtalk-access-token"])))
          return json(res, 401, { code: "InvalidAuthentication", message: "不合法的access_token" });
        const group = url.pathname.includes("group");
        const to = group ? String(body.openConversationId) : JSON.stringify(body.userIds);
        return this.#accept(res, group ? "groupMessages" : "oToMessages", to, body, () => undefined);
      }
      default:
        return json(res, 404, { code: "NotFound", message: "not found" });
    }
  }

  #accept(
    res: ServerResponse,
    via: Received["via"],
    to: string,
    body: Record<string, unknown>,
    check: () => { errcode: number; errmsg: string } | undefined,
  ): void {
    this.attempts.push({ via, at: Date.now() });
    const failure = this.#webhookFailures.shift();
    if (failure) {
      if ("errcode" in failure) return json(res, 200, { errcode: failure.errcode, errmsg: "scripted" });
      if (failure.status === 429)
        return json(
          res,
          429,
          { errcode: 130101, errmsg: "send too fast" },
          failure.retryAfter !== undefined ? { "retry-after": String(failure.retryAfter) } : {},
        );
      return json(res, failure.status, { errcode: -1, errmsg: "系统繁忙" });
    }
    const refused = check();
    if (refused) return json(res, 200, refused);
    const markdown =
      via === "session"
        ? (body.markdown as { text?: string } | undefined)
        : (JSON.parse(String(body.msgParam)) as { text?: string });
    const received: Received = { via, to, body, at: Date.now(), text: markdown?.text ?? "" };
    this.received.push(received);
    this.onReceived?.(received);
    json(res, 200, via === "session" ? { errcode: 0, errmsg: "ok" } : { processQueryKey: randomUUID() });
  }
}
