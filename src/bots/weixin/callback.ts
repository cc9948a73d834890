// A WeChat / WeCom callback checked and opened: signature in constant time, timestamp near, envelope decrypted
// for our app id, XML read. Forged or malformed requests come out as a 4xx and nothing else happens.
// https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Message_encryption_and_decryption_instructions.html
import type { ChannelWebhook } from "../channel-webhook.ts";
import type { WebhookAnswer } from "./types.ts";
import { openEnvelope, sameSecret, sealEnvelope, timestampFresh, weixinSignature } from "./crypto.ts";
import { readXml, writeXml } from "./xml.ts";

/** What a callback is checked against. `aesKey` unset: plaintext mode (WeChat only). */
export interface CallbackSecrets {
  token: string;
  aesKey?: string;
  /** The app id (WeChat) or corp id (WeCom) every envelope must name. */
  id: string;
}

export type Opened =
  | { ok: true; fields: Record<string, string>; encrypted: boolean }
  | { ok: false; answer: WebhookAnswer; reason: string };

const refuse = (status: 400 | 403, reason: string): Opened => ({
  ok: false,
  reason,
  answer: { status, body: status === 403 ? "forbidden" : "bad request", contentType: "text/plain" },
});

/**
 * A message POST. With `encrypt_type=aes` (or `alwaysEncrypted`, WeCom) the body's `Encrypt` is checked against
 * `msg_signature` and opened; otherwise the plain body is checked against `signature`.
 */
export function openCallback(
  query: Record<string, string>,
  body: string,
  secrets: CallbackSecrets,
  nowMs: number,
  alwaysEncrypted: boolean,
): Opened {
  const { timestamp, nonce } = query;
  if (!timestamp || nonce === undefined) return refuse(400, "timestamp or nonce missing");
  const encrypted = alwaysEncrypted || query.encrypt_type === "aes";
  const outer = readXml(body);
  if (encrypted) {
    const sealed = outer?.Encrypt;
    if (!sealed) return refuse(400, "no Encrypt in the body");
    const expected = weixinSignature(secrets.token, timestamp, nonce, sealed);
    if (!sameSecret(query.msg_signature, expected)) return refuse(403, "msg_signature does not match");
    if (!timestampFresh(timestamp, nowMs)) return refuse(403, "timestamp too far from now");
    if (!secrets.aesKey) return refuse(400, "encrypted message but no EncodingAESKey set");
    const plain = openEnvelope(secrets.aesKey, sealed, secrets.id);
    if (plain === undefined) return refuse(403, "envelope does not open for this app");
    const fields = readXml(plain);
    if (!fields) return refuse(400, "decrypted body is not XML");
    return { ok: true, fields, encrypted: true };
  }
  const expected = weixinSignature(secrets.token, timestamp, nonce);
  if (!sameSecret(query.signature, expected)) return refuse(403, "signature does not match");
  if (!timestampFresh(timestamp, nowMs)) return refuse(403, "timestamp too far from now");
  if (!outer) return refuse(400, "body is not XML");
  return { ok: true, fields: outer, encrypted: false };
}

/**
 * The URL check (GET). WeChat: `signature` over token, timestamp, nonce, answered with `echostr`. WeCom
 * (`encryptedEcho`): `msg_signature` also covers `echostr`, which is an envelope answered with its plaintext.
 */
export function answerUrlCheck(
  query: Record<string, string>,
  secrets: CallbackSecrets,
  nowMs: number,
  encryptedEcho: boolean,
): WebhookAnswer {
  const { timestamp, nonce, echostr } = query;
  const plain = (body: string, status = 200): WebhookAnswer => ({ status, body, contentType: "text/plain" });
  if (!timestamp || nonce === undefined || !echostr) return plain("bad request", 400);
  if (encryptedEcho) {
    const expected = weixinSignature(secrets.token, timestamp, nonce, echostr);
    if (!sameSecret(query.msg_signature, expected)) return plain("forbidden", 403);
    if (!timestampFresh(timestamp, nowMs)) return plain("forbidden", 403);
    if (!secrets.aesKey) return plain("bad request", 400);
    const opened = openEnvelope(secrets.aesKey, echostr, secrets.id);
    return opened === undefined ? plain("forbidden", 403) : plain(opened);
  }
  const expected = weixinSignature(secrets.token, timestamp, nonce);
  if (!sameSecret(query.signature, expected)) return plain("forbidden", 403);
  // The check is not replayable in any useful way (it only echoes), but a stale one is still refused.
  if (!timestampFresh(timestamp, nowMs)) return plain("forbidden", 403);
  return plain(echostr);
}

/** A passive reply's XML, sealed in safe mode (`<Encrypt>`, `<MsgSignature>`, `<TimeStamp>`, `<Nonce>`). */
export function sealReply(xml: string, secrets: CallbackSecrets, nowMs: number, nonce: string): string {
  if (!secrets.aesKey) return xml;
  const sealed = sealEnvelope(secrets.aesKey, xml, secrets.id);
  const timestamp = String(Math.floor(nowMs / 1000));
  return writeXml({
    Encrypt: sealed,
    MsgSignature: weixinSignature(secrets.token, timestamp, nonce, sealed),
    TimeStamp: Number(timestamp),
    Nonce: nonce,
  });
}

const NOT_READY: WebhookAnswer = { status: 503, body: "not ready", contentType: "text/plain" };

/** A WeChat or WeCom callback's two routes at `path` (GET: the URL check; POST: messages); 503 until `ready()`. */
export function callbackRoutes(
  path: string,
  ready: () => boolean,
  onGet: (query: Record<string, string>) => WebhookAnswer,
  onPost: (query: Record<string, string>, body: string) => Promise<WebhookAnswer>,
): ChannelWebhook[] {
  return [
    { method: "GET", path, handle: ({ query }) => Promise.resolve(ready() ? onGet(query) : NOT_READY) },
    {
      method: "POST",
      path,
      handle: ({ query, body }) => (ready() ? onPost(query, body) : Promise.resolve(NOT_READY)),
    },
  ];
}
