// Who may call what (README "Access"): API keys, the loopback default, session cookies, the metrics token.
import { createHash, randomBytes, timingSafeEqual } from "node:crypto";
import { BlockList, isIP } from "node:net";
import type { FastifyReply, FastifyRequest } from "fastify";
import { HTTP_MESSAGES } from "../i18n/http-messages.ts";
import { HttpProblem } from "./http-errors.ts";

/** The access settings, from the configuration (API_KEYS, METRICS_TOKEN, SESSION_TTL_DAYS, HOST). */
export interface AccessSettings {
  /** Bearer secrets of trusted front ends that speak for their own users. */
  apiKeys: readonly string[];
  /** Whether the server listens on a loopback address; with no API keys the body's `user` is then honoured. */
  listensOnLoopback: boolean;
  /** Required as a Bearer token on /metrics when set. */
  metricsToken?: string | undefined;
  /** Lifetime of the session cookie (the conversation's own lifetime). */
  sessionTtlDays: number;
}

/**
 * The caller of an /api route:
 * - `key`: a trusted front end (Authorization: Bearer <one of API_KEYS>), `keyId` its index in API_KEYS;
 * - `local`: the loopback default (no API_KEYS, loopback listen address): the body's `user` is honoured;
 * - `cookie`: anyone else; the conversation belongs to the session cookie;
 * - `wrong-key`: presented a Bearer token that is not one of API_KEYS (answered 401).
 */
export type Caller =
  { kind: "key"; keyId: number } | { kind: "local" } | { kind: "cookie" } | { kind: "wrong-key" };

declare module "fastify" {
  interface FastifyRequest {
    /** Set by the /api scope's first hook; null outside /api. */
    caller: Caller | null;
  }
}

/** The session cookie's name. */
export const SESSION_COOKIE = "zc_session";
/** 32 random bytes, base64url: 256 bits, well above the 128 an unguessable id needs. */
const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;
/** Body users that would alias a cookie conversation. */
const COOKIE_USER_PREFIX = "cookie:";

const BEARER = /^Bearer[ \t]+([^\s]+)[ \t]*$/i;

/** SHA-256 of a secret: equal-length digests for timingSafeEqual, whatever the lengths of the secrets. */
function digest(secret: string): Buffer {
  return createHash("sha256").update(secret, "utf8").digest();
}

/** The token of an `Authorization: Bearer …` header; undefined for no header or another scheme. */
export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined || !/^bearer\b/i.test(header)) return undefined;
  // A Bearer header without a usable token is a wrong key, not an absent one.
  return BEARER.exec(header)?.[1] ?? "";
}

const LOOPBACK = new BlockList();
LOOPBACK.addSubnet("127.0.0.0", 8, "ipv4");
LOOPBACK.addAddress("::1", "ipv6");

/** Whether `host` (HOST) is a loopback address: 127.0.0.0/8, ::1, an IPv4-mapped loopback, or localhost. */
export function isLoopbackHost(host: string): boolean {
  const h = host
    .trim()
    .toLowerCase()
    .replace(/^\[|\]$/g, "");
  if (h === "localhost" || h.endsWith(".localhost")) return true;
  const family = isIP(h);
  return family !== 0 && LOOPBACK.check(h, family === 4 ? "ipv4" : "ipv6");
}

/** Access decisions of one server. */
export class Access {
  private readonly keyDigests: readonly Buffer[];
  private readonly metricsDigest: Buffer | undefined;
  /** Whether the body's `user` is honoured without a key. */
  readonly bodyUserTrusted: boolean;
  private readonly cookieMaxAgeSeconds: number;

  constructor(settings: AccessSettings) {
    this.keyDigests = settings.apiKeys.map(digest);
    this.metricsDigest = settings.metricsToken === undefined ? undefined : digest(settings.metricsToken);
    this.bodyUserTrusted = settings.listensOnLoopback && settings.apiKeys.length === 0;
    this.cookieMaxAgeSeconds = Math.round(settings.sessionTtlDays * 86_400);
  }

  /** Who is calling, from the Authorization header alone (the body is not read yet). */
  identify(request: FastifyRequest): Caller {
    const token = bearerToken(request.headers.authorization);
    if (token === undefined) return this.bodyUserTrusted ? { kind: "local" } : { kind: "cookie" };
    const presented = digest(token);
    // Every key is compared, so the time taken does not tell which key came close.
    let keyId = -1;
    this.keyDigests.forEach((key, i) => {
      if (timingSafeEqual(key, presented) && keyId < 0) keyId = i;
    });
    return keyId >= 0 ? { kind: "key", keyId } : { kind: "wrong-key" };
  }

  /**
   * The user a chat message belongs to: the body's `user` for a key holder and the loopback default, otherwise
   * `cookie:<session id>` from the caller's session cookie (issued or renewed on this reply).
   * @throws HttpProblem 400 when a trusted caller sends no `user`, or one that would alias a cookie conversation
   */
  chatUser(
    caller: Caller,
    bodyUser: string | undefined,
    request: FastifyRequest,
    reply: FastifyReply,
  ): string {
    if (caller.kind === "key" || caller.kind === "local") {
      if (bodyUser === undefined)
        throw new HttpProblem(400, "missing_field", HTTP_MESSAGES.missing("字段", "user"));
      if (bodyUser.startsWith(COOKIE_USER_PREFIX))
        throw new HttpProblem(400, "reserved_user", HTTP_MESSAGES.reservedUser);
      return bodyUser;
    }
    const header = request.headers.cookie;
    const presented = header === undefined ? undefined : request.server.parseCookie(header)[SESSION_COOKIE];
    const id =
      presented !== undefined && SESSION_ID.test(presented)
        ? presented
        : randomBytes(32).toString("base64url");
    // Sent on every chat reply, so the cookie lives as long as the conversation (SESSION_TTL_DAYS after the last message).
    void reply.setCookie(SESSION_COOKIE, id, {
      path: "/",
      httpOnly: true,
      sameSite: "lax",
      // request.protocol reads X-Forwarded-Proto only when TRUST_PROXY is set.
      secure: request.protocol === "https",
      maxAge: this.cookieMaxAgeSeconds,
    });
    return `${COOKIE_USER_PREFIX}${id}`;
  }

  /** Whether a /metrics request may read the metrics (always, when METRICS_TOKEN is unset). */
  metricsAllowed(request: FastifyRequest): boolean {
    if (this.metricsDigest === undefined) return true;
    const token = bearerToken(request.headers.authorization);
    return token !== undefined && timingSafeEqual(digest(token), this.metricsDigest);
  }
}
