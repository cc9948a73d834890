// A local fake of WeChat (Official Account) and WeCom on 127.0.0.1: it signs and encrypts callbacks the way the
// platforms do (written here from the protocol, independently of src/bots/weixin, so a mistake in one shows in
// the other), reads passive replies, and serves the token endpoints and the send APIs with scripted failures.
// https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Message_encryption_and_decryption_instructions.html
import { createCipheriv, createDecipheriv, createHash, randomBytes } from "node:crypto";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";

/** What a scripted failure answers instead of accepting a message. */
export type SendFailure = { status: 500 | 502 | 503 } | { errcode: number; errmsg?: string };

/** A message the fake accepted on custom/send (WeChat) or message/send (WeCom). */
export interface ReceivedMessage {
  api: "custom" | "wecom";
  to: string;
  msgtype: string;
  /** text.content or markdown.content. */
  content: string;
  body: Record<string, unknown>;
  at: number;
}

// ---- the platform's side of the crypto, from the spec ----

/** sha1 of the sorted strings joined. */
export function sign(...parts: string[]): string {
  return createHash("sha1").update(parts.sort().join("")).digest("hex");
}

function keyOf(encodingAesKey: string): Buffer {
  const key = Buffer.from(`${encodingAesKey}=`, "base64");
  if (key.length !== 32) throw new Error("bad EncodingAESKey");
  return key;
}

/** random16 ‖ len(4, BE) ‖ msg ‖ id, PKCS#7 to 32-byte blocks, AES-256-CBC with IV = key[0..16), base64. */
export function seal(encodingAesKey: string, message: string, id: string, random = randomBytes(16)): string {
  const key = keyOf(encodingAesKey);
  const msg = Buffer.from(message, "utf8");
  const len = Buffer.alloc(4);
  len.writeUInt32BE(msg.length);
  const plain = Buffer.concat([random, len, msg, Buffer.from(id, "utf8")]);
  const pad = 32 - (plain.length % 32);
  const padded = Buffer.concat([plain, Buffer.alloc(pad, pad)]);
  const cipher = createCipheriv("aes-256-cbc", key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(padded), cipher.final()]).toString("base64");
}

/** Raw AES-256-CBC of `bytes` (a whole number of blocks) with the key's IV, base64: for malformed envelopes. */
export function encryptBlocks(encodingAesKey: string, bytes: Buffer): string {
  const key = keyOf(encodingAesKey);
  const cipher = createCipheriv("aes-256-cbc", key, key.subarray(0, 16)).setAutoPadding(false);
  return Buffer.concat([cipher.update(bytes), cipher.final()]).toString("base64");
}

/** The reverse of {@link seal}: the message and the id it names. */
export function unseal(encodingAesKey: string, sealed: string): { message: string; id: string } {
  const key = keyOf(encodingAesKey);
  const decipher = createDecipheriv("aes-256-cbc", key, key.subarray(0, 16)).setAutoPadding(false);
  const padded = Buffer.concat([decipher.update(Buffer.from(sealed, "base64")), decipher.final()]);
  const pad = padded[padded.length - 1] ?? 0;
  if (pad < 1 || pad > 32) throw new Error("bad padding");
  const plain = padded.subarray(0, padded.length - pad);
  const len = plain.readUInt32BE(16);
  return {
    message: plain.subarray(20, 20 + len).toString("utf8"),
    id: plain.subarray(20 + len).toString("utf8"),
  };
}

const cdata = (v: string) => `<![CDATA[${v}]]>`;

/** `<xml>` of the fields (numbers bare, strings in CDATA), as the platforms write it. */
export function xmlOf(fields: Record<string, string | number>): string {
  return `<xml>${Object.entries(fields)
    .map(([k, v]) => `<${k}>${typeof v === "number" ? v : cdata(v)}</${k}>`)
    .join("")}</xml>`;
}

/** The fields of a flat `<xml>` (CDATA or plain text), read with a regular expression: the fake's own reader. */
export function fieldsOf(xml: string): Record<string, string> {
  const out: Record<string, string> = {};
  const re = /<(\w+)>(?:<!\[CDATA\[([\s\S]*?)\]\]>|([^<]*))<\/\1>/g;
  for (const m of xml.matchAll(re)) out[m[1] ?? ""] = m[2] ?? m[3] ?? "";
  return out;
}

/** A fresh 43-character EncodingAESKey. */
export const newAesKey = () => randomBytes(32).toString("base64").slice(0, 43);

/** What the app's callback answered, read as a user would see it. */
export interface CallbackAnswer {
  status: number;
  raw: string;
  /** The passive reply's Content (decrypted in safe mode), when there was one. */
  passive?: string;
  /** The passive reply's fields (ToUserName, FromUserName…). */
  replyFields?: Record<string, string>;
}

export interface PlatformOptions {
  kind: "wechat" | "wecom";
  token: string;
  /** Set: safe mode (always for WeCom). */
  aesKey?: string;
  /** AppID (WeChat) or CorpID (WeCom). */
  id: string;
  agentId?: number;
}

/** The fake platform: its API server, and the callbacks it posts to the app at `callbackUrl`. */
export class FakeWeixin {
  readonly received: ReceivedMessage[] = [];
  /** Every send-API request, failed ones included (epoch ms), for backoff timings. */
  readonly attempts: Array<{ api: string; at: number }> = [];
  readonly tokenRequests: Array<{ path: string; query: Record<string, string> }> = [];
  readonly secret = "app-secret-0123456789";
  callbackUrl = "";
  /** Called with each message accepted by a send API. */
  onReceived: ((m: ReceivedMessage) => void) | undefined;
  readonly #server: Server;
  readonly #failures: SendFailure[] = [];
  readonly #tokens = new Set<string>();
  #nextMsgId = BigInt("24000000000000000") + BigInt(Math.floor(Math.random() * 1e9));

  private constructor(readonly o: PlatformOptions) {
    this.#server = createServer((req, res) => void this.#handle(req, res));
  }

  static async start(o: PlatformOptions): Promise<FakeWeixin> {
    const fake = new FakeWeixin(o);
    await new Promise<void>((resolve) => fake.#server.listen(0, "127.0.0.1", resolve));
    return fake;
  }

  get base(): string {
    return `http://127.0.0.1:${(this.#server.address() as AddressInfo).port}`;
  }

  async close(): Promise<void> {
    this.#server.closeAllConnections();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  /** The next send-API calls fail as scripted, in order. */
  failSends(...failures: SendFailure[]): void {
    this.#failures.push(...failures);
  }

  /** Revokes every token issued so far (the next send is answered 40001 and must fetch a new one). */
  revokeTokens(): void {
    this.#tokens.clear();
  }

  receivedBy(user: string): ReceivedMessage[] {
    return this.received.filter((m) => m.to === user);
  }

  nextMsgId(): string {
    this.#nextMsgId += 1n;
    return String(this.#nextMsgId);
  }

  /** A user's text message as the platform posts it. */
  textMessage(user: string, text: string, msgId = this.nextMsgId()): Record<string, string | number> {
    return {
      ToUserName: this.o.kind === "wecom" ? this.o.id : "gh_fake_account",
      FromUserName: user,
      CreateTime: Math.floor(Date.now() / 1000),
      MsgType: "text",
      Content: text,
      MsgId: msgId,
      ...(this.o.kind === "wecom" ? { AgentID: this.o.agentId ?? 0 } : {}),
    };
  }

  /**
   * Posts `fields` to the app as the platform would: signed (and in safe mode sealed) with the right secrets
   * unless `forge` says which part to get wrong.
   */
  async post(
    fields: Record<string, string | number>,
    forge: {
      signature?: boolean;
      id?: string;
      timestamp?: number;
      rawBody?: string;
      /** Safe mode on WeChat (the default when an AES key is set). */
      encrypted?: boolean;
    } = {},
  ): Promise<CallbackAnswer> {
    const timestamp = String(forge.timestamp ?? Math.floor(Date.now() / 1000));
    const nonce = String(Math.floor(Math.random() * 1e9));
    const encrypted = this.o.kind === "wecom" || (forge.encrypted ?? this.o.aesKey !== undefined);
    const query = new URLSearchParams({ timestamp, nonce });
    let body: string;
    if (encrypted) {
      const aesKey = this.o.aesKey ?? "";
      const sealed = seal(aesKey, xmlOf(fields), forge.id ?? this.o.id);
      body = xmlOf({ ToUserName: String(fields.ToUserName ?? ""), Encrypt: sealed });
      const msgSignature = sign(this.o.token, timestamp, nonce, sealed);
      query.set(
        "msg_signature",
        forge.signature ? msgSignature.replace(/^./, (c) => (c === "a" ? "b" : "a")) : msgSignature,
      );
      if (this.o.kind === "wechat") {
        query.set("encrypt_type", "aes");
        query.set("signature", sign(this.o.token, timestamp, nonce));
        query.set("openid", String(fields.FromUserName ?? ""));
      }
    } else {
      body = xmlOf(fields);
      const signature = sign(this.o.token, timestamp, nonce);
      query.set(
        "signature",
        forge.signature ? signature.replace(/^./, (c) => (c === "a" ? "b" : "a")) : signature,
      );
      query.set("openid", String(fields.FromUserName ?? ""));
    }
    return this.#send(`${this.callbackUrl}?${query.toString()}`, forge.rawBody ?? body, encrypted);
  }

  /** Posts a body as it is, with the query given (fuzzing). */
  async postRaw(query: Record<string, string>, body: string): Promise<CallbackAnswer> {
    return this.#send(`${this.callbackUrl}?${new URLSearchParams(query).toString()}`, body, false);
  }

  /** The URL check: WeChat signs `echostr`-less parts and expects it back; WeCom seals `echostr`. */
  async urlCheck(
    forge: { signature?: boolean; id?: string } = {},
  ): Promise<{ status: number; body: string; echo: string }> {
    const timestamp = String(Math.floor(Date.now() / 1000));
    const nonce = "12345";
    const echo = `echo-${Math.floor(Math.random() * 1e9)}`;
    const query = new URLSearchParams({ timestamp, nonce });
    if (this.o.kind === "wecom") {
      const sealed = seal(this.o.aesKey ?? "", echo, forge.id ?? this.o.id);
      query.set("echostr", sealed);
      const s = sign(this.o.token, timestamp, nonce, sealed);
      query.set("msg_signature", forge.signature ? "0".repeat(40) : s);
    } else {
      query.set("echostr", echo);
      const s = sign(this.o.token, timestamp, nonce);
      query.set("signature", forge.signature ? "0".repeat(40) : s);
    }
    const res = await fetch(`${this.callbackUrl}?${query.toString()}`);
    return { status: res.status, body: await res.text(), echo };
  }

  async #send(url: string, body: string, encrypted: boolean): Promise<CallbackAnswer> {
    const res = await fetch(url, { method: "POST", headers: { "content-type": "text/xml" }, body });
    const raw = await res.text();
    const answer: CallbackAnswer = { status: res.status, raw };
    if (res.status !== 200 || !raw.startsWith("<xml>")) return answer;
    let fields = fieldsOf(raw);
    if (encrypted && fields.Encrypt !== undefined) {
      const { Encrypt, MsgSignature, TimeStamp, Nonce } = fields;
      if (MsgSignature !== sign(this.o.token, TimeStamp ?? "", Nonce ?? "", Encrypt))
        throw new Error("passive reply's MsgSignature does not match");
      const opened = unseal(this.o.aesKey ?? "", Encrypt);
      if (opened.id !== this.o.id) throw new Error(`passive reply sealed for ${opened.id}`);
      fields = fieldsOf(opened.message);
    }
    return {
      ...answer,
      replyFields: fields,
      ...(fields.Content !== undefined ? { passive: fields.Content } : {}),
    };
  }

  async #handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? "/", "http://x");
    const query = Object.fromEntries(url.searchParams);
    let raw = "";
    for await (const chunk of req) raw += String(chunk);
    const json = (body: unknown, status = 200) => {
      res.writeHead(status, { "content-type": "application/json" });
      res.end(JSON.stringify(body));
    };
    const issue = () => {
      const token = `tok-${randomBytes(6).toString("hex")}`;
      this.#tokens.add(token);
      return json({ access_token: token, expires_in: 7200, errcode: 0, errmsg: "ok" });
    };
    if (req.method === "GET" && url.pathname === "/cgi-bin/token" && this.o.kind === "wechat") {
      this.tokenRequests.push({ path: url.pathname, query });
      if (
        query.grant_type !== "client_credential" ||
        query.appid !== this.o.id ||
        query.secret !== this.secret
      )
        return json({ errcode: 40125, errmsg: "invalid appsecret" });
      return issue();
    }
    if (req.method === "GET" && url.pathname === "/cgi-bin/gettoken" && this.o.kind === "wecom") {
      this.tokenRequests.push({ path: url.pathname, query });
      if (query.corpid !== this.o.id || query.corpsecret !== this.secret)
        return json({ errcode: 40001, errmsg: "invalid secret" });
      return issue();
    }
    const api =
      url.pathname === "/cgi-bin/message/custom/send" && this.o.kind === "wechat"
        ? "custom"
        : url.pathname === "/cgi-bin/message/send" && this.o.kind === "wecom"
          ? "wecom"
          : undefined;
    if (req.method !== "POST" || !api) return json({ errcode: 404, errmsg: "not found" }, 404);
    this.attempts.push({ api, at: Date.now() });
    if (!this.#tokens.has(query.access_token ?? ""))
      return json({ errcode: 40001, errmsg: "invalid credential, access_token is invalid or not latest" });
    const failure = this.#failures.shift();
    if (failure) {
      if ("status" in failure) return json({ errcode: -1, errmsg: "system error" }, failure.status);
      return json({ errcode: failure.errcode, errmsg: failure.errmsg ?? "scripted" });
    }
    let body: Record<string, unknown>;
    try {
      body = JSON.parse(raw) as Record<string, unknown>;
    } catch {
      return json({ errcode: 47001, errmsg: "data format error" });
    }
    const msgtype = String(body.msgtype);
    const content = ((c) => (typeof c === "string" ? c : ""))(
      (body[msgtype] as { content?: unknown } | undefined)?.content,
    );
    if (Buffer.byteLength(content) > 2048)
      return json({ errcode: 45002, errmsg: "content size out of limit" });
    if (api === "wecom" && body.agentid !== this.o.agentId)
      return json({ errcode: 40056, errmsg: "invalid agentid" });
    const m: ReceivedMessage = { api, to: String(body.touser), msgtype, content, body, at: Date.now() };
    this.received.push(m);
    this.onReceived?.(m);
    return json({ errcode: 0, errmsg: "ok" });
  }
}
