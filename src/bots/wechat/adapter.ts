// The WeChat Official Account channel: /wechat callbacks answered by a passive reply within WeChat's 5 s, or
// "success" once the message is recorded durably, with the answer sent through the customer-service API.
// https://developers.weixin.qq.com/doc/offiaccount/Message_Management/Passive_user_reply_message.html
import { randomBytes, randomUUID } from "node:crypto";
import { BOT_MESSAGES } from "../../i18n/bot-messages.ts";
import type { ChatOutcome, Reply } from "../../shared/chat.ts";
import { errorSummary } from "../answer-message.ts";
import type { ChannelAdapter, ChannelDeps, ChannelStatus, SendTarget } from "../channel-adapter.ts";
import type { ChannelWebhook, WebhookAnswer } from "../channel-webhook.ts";
import { PlatformRefusedError } from "../platform-error.ts";
import { WeixinApi } from "../weixin/api.ts";
import { answerUrlCheck, openCallback, sealReply, type CallbackSecrets } from "../weixin/callback.ts";
import { WeixinChannelCore, type WeixinTuning } from "../weixin/channel-core.ts";
import { validAesKey } from "../weixin/crypto.ts";
import { encodeTexts } from "../weixin/encode.ts";
import type { WeixinEntry } from "../weixin/types.ts";
import { CHANNEL, decodeWeChat } from "./decode.ts";
import { customText, passiveTextXml } from "./encode.ts";
import type { WeChatSettings } from "./types.ts";
import { SUCCESS, wechatWebhooks, xmlAnswer } from "./webhook.ts";

/** WeChat waits 5 s for the callback's answer; half a second is left for the network. */
const PASSIVE_BUDGET_MS = 4_500;

export class WeChatAdapter implements ChannelAdapter {
  readonly name = CHANNEL;
  readonly timeBudgetMs: number;
  /** GET and POST /wechat, to mount on the HTTP port. */
  readonly webhooks: ChannelWebhook[];
  readonly #core: WeixinChannelCore;
  readonly #api: WeixinApi;
  readonly #secrets: CallbackSecrets;
  #ready = false;

  constructor(
    private readonly settings: WeChatSettings,
    private readonly deps: ChannelDeps,
    tuning: WeixinTuning = {},
  ) {
    this.timeBudgetMs = tuning.passiveBudgetMs ?? PASSIVE_BUDGET_MS;
    const base = settings.apiBase ?? "https://api.weixin.qq.com";
    const tokenUrl =
      `${base}/cgi-bin/token?grant_type=client_credential` +
      `&appid=${encodeURIComponent(settings.appId)}&secret=${encodeURIComponent(settings.appSecret)}`;
    this.#api = new WeixinApi(CHANNEL, base, tokenUrl, () => deps.clock.now().getTime());
    this.#core = new WeixinChannelCore(CHANNEL, deps, tuning, (to, text) =>
      this.#api.post("/cgi-bin/message/custom/send", customText(to, text)),
    );
    this.#secrets = {
      token: settings.token,
      id: settings.appId,
      ...(settings.encodingAesKey ? { aesKey: settings.encodingAesKey } : {}),
    };
    this.webhooks = wechatWebhooks(
      () => this.#ready,
      (query) => answerUrlCheck(query, this.#secrets, this.#now(), false),
      (query, body) => this.#core.track(this.#onMessage(query, body)),
    );
  }

  status(): ChannelStatus {
    return this.#core.status();
  }

  /**
   * Checks the settings, starts the inbox worker and the callbacks, then fetches an access token (a wrong
   * AppSecret shows here). Without a token the callbacks still answer passively; the channel is listed as down.
   */
  async start(): Promise<void> {
    const health = this.#core.health;
    if (this.settings.encodingAesKey !== undefined && !validAesKey(this.settings.encodingAesKey)) {
      const reason = "WECHAT_ENCODING_AES_KEY must be 43 characters of base64";
      health.set("down", { reason });
      throw new Error(reason);
    }
    this.#core.startWorker();
    this.#ready = true;
    try {
      await this.#core.withRetry(() => this.#api.accessToken());
    } catch (err) {
      health.set("down", { reason: `access token: ${errorSummary(err)}` });
      throw err;
    }
    health.set("up", { detail: this.#secrets.aesKey ? "callback (safe mode)" : "callback (plaintext)" });
  }

  async stop(): Promise<void> {
    this.#ready = false;
    await this.#core.stop();
  }

  /**
   * A message through the customer-service API (reminders). WeChat accepts it only within 48 h of the user's
   * last message: outside it the send is refused (errcode 45015) and this rejects.
   */
  async send(target: SendTarget, replies: Reply[]): Promise<void> {
    if (target.kind !== "direct")
      throw new PlatformRefusedError(CHANNEL, 0, "an Official Account has no groups");
    await this.#core.sendEncoded(target.userId, encodeTexts(replies));
  }

  #now(): number {
    return this.deps.clock.now().getTime();
  }

  /** POST /wechat: checked, decoded, answered passively in time or recorded and answered later. */
  async #onMessage(query: Record<string, string>, body: string): Promise<WebhookAnswer> {
    const opened = openCallback(query, body, this.#secrets, this.#now(), false);
    if (!opened.ok) {
      this.deps.log.warn(`${CHANNEL}: callback refused: ${opened.reason}`);
      return opened.answer;
    }
    const account = opened.fields.ToUserName ?? "";
    const decoded = decodeWeChat(opened.fields);
    if (decoded.kind === "ignore") return SUCCESS;
    const passive = (text: string) =>
      xmlAnswer(
        sealReply(
          passiveTextXml(decoded.entry.to, account, text, this.#now()),
          this.#secrets,
          this.#now(),
          randomBytes(8).toString("hex"),
        ),
      );
    if (decoded.kind === "hint") return passive(decoded.entry.hint ?? "");
    const entry: WeixinEntry = { ...decoded.entry, msg: await this.#core.readChoice(decoded.entry.msg) };
    return this.#answer(entry, passive);
  }

  async #answer(entry: WeixinEntry, passive: (text: string) => WebhookAnswer): Promise<WebhookAnswer> {
    const { msg } = entry;
    const key = `${CHANNEL}:${msg.messageId ?? ""}`;
    if (this.timeBudgetMs <= 0) return this.#defer(entry, passive);
    if (await this.deps.deliveries.wasDelivered(key).catch(() => false)) return SUCCESS;

    const turn = this.deps.turn(msg).then(
      (outcome): { outcome: ChatOutcome } | { error: unknown } => ({ outcome }),
      (error: unknown) => ({ error }),
    );
    let timer: NodeJS.Timeout | undefined;
    const budget = new Promise<"budget">((resolve) => {
      timer = setTimeout(() => resolve("budget"), this.timeBudgetMs);
    });
    const result = await Promise.race([turn, budget]).finally(() => clearTimeout(timer));
    // Too slow for a passive reply: the turn goes on (the store keeps its replies for the worker's redelivery).
    if (result === "budget") {
      void this.#core.track(turn);
      return this.#defer(entry, passive);
    }
    if ("error" in result) {
      const ref = randomUUID().slice(0, 8);
      this.deps.log.error(`${CHANNEL}: chat turn failed (ref ${ref}): ${errorSummary(result.error)}`);
      return passive(BOT_MESSAGES.failed(ref));
    }
    const { outcome } = result;
    // Delivered before, or still running from an earlier delivery: the worker sends what it has, once.
    if (outcome.status === "pending" || outcome.status === "duplicate") return this.#defer(entry, passive);
    const texts = encodeTexts(outcome.replies);
    const [first, ...rest] = texts;
    if (first === undefined) return SUCCESS;
    if (outcome.status !== "answered") return passive(first);
    await this.#core.rememberChoices(msg.user, outcome.replies);
    if (rest.length === 0) await this.#markDelivered(key);
    else
      void this.#core.track(
        this.#core.sendEncoded(entry.to, rest).then(
          () => this.#markDelivered(key),
          (err: unknown) =>
            this.deps.log.error(
              `${CHANNEL}: replies not delivered (after the passive reply): ${errorSummary(err)}`,
            ),
        ),
      );
    return passive(first);
  }

  /** Recorded durably, then answered "success": the inbox worker (in any process) sends the replies. */
  async #defer(entry: WeixinEntry, passive: (text: string) => WebhookAnswer): Promise<WebhookAnswer> {
    try {
      await this.#core.record(entry);
      return SUCCESS;
    } catch (err) {
      this.deps.log.warn(`${CHANNEL}: message not recorded (${errorSummary(err)}); user told to retry`);
      return passive(BOT_MESSAGES.busy);
    }
  }

  async #markDelivered(key: string): Promise<void> {
    await this.deps.deliveries
      .markDelivered(key)
      .catch((err: unknown) =>
        this.deps.log.warn(`${CHANNEL}: delivery of ${key} not recorded: ${errorSummary(err)}`),
      );
  }
}
