// The WeCom app channel: /wecom callbacks (always encrypted) recorded durably and answered empty at once; the
// replies go out through message/send as markdown.
// https://developer.work.weixin.qq.com/document/path/90238 · https://developer.work.weixin.qq.com/document/path/90236
import { BOT_MESSAGES } from "../../i18n/bot-messages.ts";
import type { Reply } from "../../shared/chat.ts";
import { errorSummary } from "../answer-message.ts";
import type { ChannelAdapter, ChannelDeps, ChannelStatus, SendTarget } from "../channel-adapter.ts";
import type { ChannelWebhook, WebhookAnswer } from "../channel-webhook.ts";
import { PlatformRefusedError } from "../platform-error.ts";
import { WeixinApi } from "../weixin/api.ts";
import { answerUrlCheck, openCallback, type CallbackSecrets } from "../weixin/callback.ts";
import { WeixinChannelCore, type WeixinTuning } from "../weixin/channel-core.ts";
import { validAesKey } from "../weixin/crypto.ts";
import { encodeTexts } from "../weixin/encode.ts";
import { CHANNEL, decodeWeCom } from "./decode.ts";
import { markdownMessage } from "./encode.ts";
import type { WeComSettings } from "./types.ts";
import { RECEIVED, wecomWebhooks } from "./webhook.ts";

export class WeComAdapter implements ChannelAdapter {
  readonly name = CHANNEL;
  /** A recorded message held this long by a worker without an answer is taken over by another. */
  readonly timeBudgetMs: number;
  readonly webhooks: ChannelWebhook[];
  readonly #core: WeixinChannelCore;
  readonly #api: WeixinApi;
  readonly #secrets: CallbackSecrets;
  #ready = false;

  constructor(
    private readonly settings: WeComSettings,
    private readonly deps: ChannelDeps,
    tuning: WeixinTuning = {},
  ) {
    this.timeBudgetMs = tuning.claimIdleMs ?? 90_000;
    const base = settings.apiBase ?? "https://qyapi.weixin.qq.com";
    const tokenUrl = `${base}/cgi-bin/gettoken?corpid=${encodeURIComponent(settings.corpId)}&corpsecret=${encodeURIComponent(settings.secret)}`;
    this.#api = new WeixinApi(CHANNEL, base, tokenUrl, () => deps.clock.now().getTime());
    this.#core = new WeixinChannelCore(CHANNEL, deps, tuning, (to, text) =>
      this.#api.post("/cgi-bin/message/send", markdownMessage(to, settings.agentId, text)),
    );
    this.#secrets = { token: settings.token, aesKey: settings.encodingAesKey, id: settings.corpId };
    this.webhooks = wecomWebhooks(
      () => this.#ready,
      (query) => answerUrlCheck(query, this.#secrets, deps.clock.now().getTime(), true),
      (query, body) => this.#core.track(this.#onMessage(query, body)),
    );
  }

  status(): ChannelStatus {
    return this.#core.status();
  }

  /** Checks the settings, starts the worker and the callbacks, and fetches an access token (wrong secrets show here). */
  async start(): Promise<void> {
    const health = this.#core.health;
    const problem = !validAesKey(this.settings.encodingAesKey)
      ? "WECOM_ENCODING_AES_KEY must be 43 characters of base64"
      : !Number.isInteger(this.settings.agentId)
        ? "WECOM_AGENT_ID must be a number"
        : undefined;
    if (problem) {
      health.set("down", { reason: problem });
      throw new Error(problem);
    }
    this.#core.startWorker();
    this.#ready = true;
    try {
      await this.#core.withRetry(() => this.#api.accessToken());
    } catch (err) {
      health.set("down", { reason: `access token: ${errorSummary(err)}` });
      throw err;
    }
    health.set("up", { detail: "callback" });
  }

  async stop(): Promise<void> {
    this.#ready = false;
    await this.#core.stop();
  }

  /** A proactive message to a member through message/send (the app receives 1:1 messages only: no groups). */
  async send(target: SendTarget, replies: Reply[]): Promise<void> {
    if (target.kind !== "direct")
      throw new PlatformRefusedError(CHANNEL, 0, "a WeCom app has no group chats");
    await this.#core.sendEncoded(target.userId, encodeTexts(replies));
  }

  /**
   * POST /wecom: checked and opened, recorded in the inbox, answered empty; the worker answers. When the store
   * cannot be reached the member is told "服务繁忙" through message/send (WeCom would otherwise send it again).
   */
  async #onMessage(query: Record<string, string>, body: string): Promise<WebhookAnswer> {
    const opened = openCallback(query, body, this.#secrets, this.deps.clock.now().getTime(), true);
    if (!opened.ok) {
      this.deps.log.warn(`${CHANNEL}: callback refused: ${opened.reason}`);
      return opened.answer;
    }
    const decoded = decodeWeCom(opened.fields, this.settings.agentId);
    if (decoded.kind === "ignore") return RECEIVED;
    const entry =
      decoded.kind === "text"
        ? { ...decoded.entry, msg: await this.#core.readChoice(decoded.entry.msg) }
        : decoded.entry;
    try {
      await this.#core.record(entry);
    } catch (err) {
      this.deps.log.warn(`${CHANNEL}: message not recorded (${errorSummary(err)}); user told to retry`);
      void this.#core.track(
        this.#core
          .sendEncoded(entry.to, encodeTexts([{ text: BOT_MESSAGES.busy }]))
          .catch((e: unknown) =>
            this.deps.log.warn(`${CHANNEL}: busy reply not delivered: ${errorSummary(e)}`),
          ),
      );
    }
    return RECEIVED;
  }
}
