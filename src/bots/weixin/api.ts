// The WeChat / WeCom server APIs: an access token cached until it runs out, JSON posts with errcode sorted into
// "refused" (45015 outside the 48 h window, …), "refused, wait" (frequency limits) and "unavailable" (-1 busy, 5xx).
// https://developers.weixin.qq.com/doc/offiaccount/Basic_Information/Get_access_token.html
// https://developer.work.weixin.qq.com/document/path/91039
import { PlatformRefusedError, PlatformUnavailableError } from "../platform-error.ts";

const REQUEST_TIMEOUT_MS = 10_000;
/** The token was revoked or ran out early: fetch a new one and try once more. */
const TOKEN_INVALID = new Set([40001, 40014, 42001]);
/** Frequency limits: try again a little later. */
const THROTTLED = new Set([45009, 45011, 45033]);
const THROTTLE_WAIT_MS = 2_000;

async function request(platform: string, url: string, init: RequestInit): Promise<Record<string, unknown>> {
  let res: Response;
  try {
    res = await fetch(url, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
  } catch (err) {
    throw new PlatformUnavailableError(platform, err instanceof Error ? err.message : String(err), {
      cause: err,
    });
  }
  const text = await res.text().catch(() => "");
  if (res.status >= 500) throw new PlatformUnavailableError(platform, `HTTP ${res.status}`);
  if (res.status === 429)
    throw new PlatformRefusedError(platform, 429, "too many requests", THROTTLE_WAIT_MS);
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : {};
  } catch {
    throw new PlatformUnavailableError(platform, `HTTP ${res.status} with a body that is not JSON`);
  }
  if (res.status >= 400 || !data || typeof data !== "object")
    throw new PlatformRefusedError(platform, res.status, `HTTP ${res.status}`);
  return data as Record<string, unknown>;
}

/** errcode ≠ 0 as an error; undefined when the call succeeded. */
function errorOf(platform: string, data: Record<string, unknown>): Error | undefined {
  const { errcode, errmsg } = data;
  if (typeof errcode !== "number" || errcode === 0) return undefined;
  const message = `errcode ${errcode}${typeof errmsg === "string" ? ` ${errmsg}` : ""}`;
  // -1: 系统繁忙 (the platform's own failure).
  if (errcode === -1) return new PlatformUnavailableError(platform, message);
  return new PlatformRefusedError(
    platform,
    errcode,
    message,
    THROTTLED.has(errcode) ? THROTTLE_WAIT_MS : undefined,
  );
}

/** One app's API: `tokenUrl` answers `{access_token, expires_in}` (WeChat's /cgi-bin/token, WeCom's /cgi-bin/gettoken). */
export class WeixinApi {
  #token: { value: string; until: number } | undefined;
  #fetching: Promise<string> | undefined;

  constructor(
    private readonly platform: string,
    private readonly apiBase: string,
    private readonly tokenUrl: string,
    private readonly now: () => number,
  ) {}

  /** The cached token, or a new one (one request at a time). Renewed five minutes before it runs out. */
  accessToken(): Promise<string> {
    if (this.#token && this.#token.until > this.now()) return Promise.resolve(this.#token.value);
    this.#fetching ??= this.#fetchToken().finally(() => (this.#fetching = undefined));
    return this.#fetching;
  }

  async #fetchToken(): Promise<string> {
    const data = await request(this.platform, this.tokenUrl, { method: "GET" });
    const failure = errorOf(this.platform, data);
    if (failure) throw failure;
    if (typeof data.access_token !== "string")
      throw new PlatformRefusedError(this.platform, 0, "no access_token");
    const lifetime = typeof data.expires_in === "number" ? data.expires_in : 7_200;
    this.#token = { value: data.access_token, until: this.now() + Math.max(60, lifetime - 300) * 1000 };
    return data.access_token;
  }

  /** POSTs `body` to `{apiBase}{path}?access_token=…`; a token the platform calls invalid is renewed once. */
  async post(path: string, body: unknown): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      const token = await this.accessToken();
      const data = await request(
        this.platform,
        `${this.apiBase}${path}?access_token=${encodeURIComponent(token)}`,
        {
          method: "POST",
          headers: { "content-type": "application/json" },
          body: JSON.stringify(body),
        },
      );
      const failure = errorOf(this.platform, data);
      if (!failure) return;
      if (attempt === 1 && TOKEN_INVALID.has(Number(data.errcode))) {
        if (this.#token?.value === token) this.#token = undefined;
        continue;
      }
      throw failure;
    }
  }
}
