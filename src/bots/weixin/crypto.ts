// WeChat / WeCom callback security: SHA-1 signatures over sorted strings, AES-256-CBC envelopes with the app id.
// https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Access_Overview.html
// https://developer.work.weixin.qq.com/document/path/90968 (加解密方案说明)
import { createHash, timingSafeEqual } from "node:crypto";
import { decrypt as aesDecrypt, encrypt as aesEncrypt, getSignature } from "@wecom/crypto";

/** A callback whose timestamp is further than this from our clock is refused (a replay, or a clock gone wrong). */
export const MAX_CLOCK_SKEW_SECONDS = 300;

/** `sha1(sort(parts).join(''))`, hex: the URL check's `signature`, and with `Encrypt` the `msg_signature`. */
export function weixinSignature(token: string, timestamp: string, nonce: string, encrypted?: string): string {
  if (encrypted !== undefined) return getSignature(token, timestamp, nonce, encrypted);
  return createHash("sha1").update([token, timestamp, nonce].sort().join("")).digest("hex");
}

const digest = (s: string) => createHash("sha256").update(s).digest();

/** Constant-time comparison (of digests, so neither length nor content leaks). */
export function sameSecret(given: string | undefined, expected: string): boolean {
  return given !== undefined && timingSafeEqual(digest(given.toLowerCase()), digest(expected));
}

/** Whether a callback's `timestamp` (seconds) is near `nowMs`. */
export function timestampFresh(timestamp: string | undefined, nowMs: number): boolean {
  if (!timestamp || !/^\d{1,12}$/.test(timestamp)) return false;
  return Math.abs(Number(timestamp) * 1000 - nowMs) <= MAX_CLOCK_SKEW_SECONDS * 1000;
}

/** An EncodingAESKey is 43 characters of base64 (a 32-byte key without its "="). */
export function validAesKey(key: string): boolean {
  return /^[A-Za-z0-9+/]{43}$/.test(key) && Buffer.from(`${key}=`, "base64").length === 32;
}

const BASE64 = /^[A-Za-z0-9+/]+={0,2}$/;

/**
 * Opens an `Encrypt` envelope: the message when it decrypts, its length field fits, and it was made for
 * `expectedId` (the app id, or the WeCom corp id); undefined otherwise (never throws).
 */
export function openEnvelope(aesKey: string, encrypted: string, expectedId: string): string | undefined {
  // AES blocks are 16 bytes: base64 of a whole number of them is a multiple of 4 characters, padded or not.
  if (!BASE64.test(encrypted) || encrypted.length % 4 !== 0) return undefined;
  const bytes = Buffer.from(encrypted, "base64");
  if (bytes.length < 32 || bytes.length % 16 !== 0) return undefined;
  let opened: { message: string; id: string };
  try {
    opened = aesDecrypt(aesKey, encrypted);
  } catch {
    return undefined;
  }
  // random(16) ‖ length(4) ‖ message ‖ id: a length pointing past the end leaves the id empty or short.
  if (opened.id !== expectedId) return undefined;
  return opened.message;
}

/** Seals `message` for the platform (a passive reply in safe mode, or a test's callback). */
export function sealEnvelope(aesKey: string, message: string, id: string): string {
  return aesEncrypt(aesKey, message, id);
}
