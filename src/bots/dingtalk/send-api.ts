// DingTalk's send paths: a message's session webhook, and the robot APIs (access token) for proactive messages.
// https://open.dingtalk.com/document/orgapp/robot-reply-and-send-messages
// https://open.dingtalk.com/document/orgapp/the-robot-sends-a-group-message
import { PlatformRefusedError, PlatformUnavailableError } from "../platform-error.ts";
import type { MarkdownMessage } from "./encode.ts";

const PLATFORM = "dingtalk";
const REQUEST_TIMEOUT_MS = 10_000;
/** "send too fast" on robot sends: wait and try again. */
const THROTTLED = new Set([130101, 660026]);
const DEFAULT_WAIT_MS = 2_000;

const asText = (v: unknown): string => (typeof v === "string" ? v : (JSON.stringify(v) ?? ""));

function retryAfterMs(header: string | null): number {
  const seconds = Number(header);
  return Number.isFinite(seconds) && seconds >= 0 ? seconds * 1000 : DEFAULT_WAIT_MS;
}

/** POSTs JSON; network errors, timeouts and 5xx are "unavailable", 4xx and error codes "refused". */
async function postJson(url: string, body: unknown, headers: Record<string, string> = {}): Promise<unknown> {
  let res: Response;
  try {
    res = await fetch(url, {
      method: "POST",
      headers: { "content-type": "application/json", ...headers },
      body: JSON.stringify(body),
      signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
    });
  } catch (err) {
    throw new PlatformUnavailableError(PLATFORM, err instanceof Error ? err.message : String(err), {
      cause: err,
    });
  }
  const text = await res.text().catch(() => "");
  if (res.status >= 500) throw new PlatformUnavailableError(PLATFORM, `HTTP ${res.status}`);
  if (res.status === 429)
    throw new PlatformRefusedError(
      PLATFORM,
      429,
      "too many requests",
      retryAfterMs(res.headers.get("retry-after")),
    );
  let data: unknown;
  try {
    data = text ? JSON.parse(text) : {};
  } catch {
    throw new PlatformUnavailableError(PLATFORM, `HTTP ${res.status} with a body that is not JSON`);
  }
  const { errcode, errmsg, code, message } = data as Record<string, unknown>;
  if (res.status >= 400)
    throw new PlatformRefusedError(PLATFORM, res.status, asText(message ?? errmsg ?? code ?? "refused"));
  if (typeof errcode === "number" && errcode !== 0)
    throw new PlatformRefusedError(
      PLATFORM,
      errcode,
      asText(errmsg ?? ""),
      THROTTLED.has(errcode) ? DEFAULT_WAIT_MS : undefined,
    );
  return data;
}

/** Replies through a message's session webhook (no token needed; valid until its expiry). */
export async function postToSessionWebhook(url: string, message: MarkdownMessage): Promise<void> {
  await postJson(url, message);
}

/** The robot APIs for proactive messages, with a cached access token. */
export class RobotApi {
  #token: { value: string; until: number } | undefined;

  constructor(
    private readonly apiBase: string,
    private readonly appKey: string,
    private readonly appSecret: string,
    private readonly now: () => number,
  ) {}

  async #accessToken(): Promise<string> {
    if (this.#token && this.#token.until > this.now()) return this.#token.value;
    const data = (await postJson(`${this.apiBase}/v1.0/oauth2/accessToken`, {
      appKey: this.appKey,
      appSecret: this.appSecret,
    })) as { accessToken?: unknown; expireIn?: unknown };
    if (typeof data.accessToken !== "string") throw new PlatformRefusedError(PLATFORM, 0, "no accessToken");
    const lifetime = typeof data.expireIn === "number" ? data.expireIn : 7_200;
    // Renewed five minutes before it runs out.
    this.#token = { value: data.accessToken, until: this.now() + Math.max(60, lifetime - 300) * 1000 };
    return this.#token.value;
  }

  async #post(path: string, body: Record<string, unknown>): Promise<void> {
    const token = await this.#accessToken();
    await postJson(`${this.apiBase}${path}`, body, { "x-acs-dingtalk-access-token": token });
  }

  /** A markdown message to one person's 1:1 chat with the robot. */
  sendToUser(robotCode: string, userId: string, m: MarkdownMessage): Promise<void> {
    return this.#post("/v1.0/robot/oToMessages/batchSend", {
      robotCode,
      userIds: [userId],
      msgKey: "sampleMarkdown",
      msgParam: JSON.stringify(m.markdown),
    });
  }

  /** A markdown message to a group (its openConversationId is the conversationId of a message from it). */
  sendToGroup(robotCode: string, openConversationId: string, m: MarkdownMessage): Promise<void> {
    return this.#post("/v1.0/robot/groupMessages/send", {
      robotCode,
      openConversationId,
      msgKey: "sampleMarkdown",
      msgParam: JSON.stringify(m.markdown),
    });
  }
}
