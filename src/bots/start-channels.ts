// The channels' one entry: start every configured chat channel, each on its own, and stop them together.
import { BOT_LOG } from "../i18n/bot-messages.ts";
import type { Reply } from "../shared/chat.ts";
import { errorSummary } from "./answer-message.ts";
import type { ChannelAdapter, ChannelDeps, ChannelStatus, SendTarget } from "./channel-adapter.ts";
import type { ChannelWebhook } from "./channel-webhook.ts";
import { DingTalkAdapter, type DingTalkTuning } from "./dingtalk/adapter.ts";
import { TelegramAdapter, type TelegramTuning } from "./telegram/adapter.ts";
import type { TelegramWebhookHandler } from "./telegram/webhook.ts";
import { WeChatAdapter } from "./wechat/adapter.ts";
import { WeComAdapter } from "./wecom/adapter.ts";
import type { WeixinTuning } from "./weixin/channel-core.ts";

/** The settings the channels read (the matching fields of `Config`; pass the config itself). */
export interface ChannelConfig {
  TELEGRAM_BOT_TOKEN?: string | undefined;
  TELEGRAM_API_ROOT?: string | undefined;
  TELEGRAM_WEBHOOK_URL?: string | undefined;
  TELEGRAM_WEBHOOK_SECRET?: string | undefined;
  DINGTALK_CLIENT_ID?: string | undefined;
  DINGTALK_CLIENT_SECRET?: string | undefined;
  DINGTALK_GATEWAY_URL?: string | undefined;
  DINGTALK_API_BASE?: string | undefined;
  WECHAT_TOKEN?: string | undefined;
  WECHAT_APP_ID?: string | undefined;
  WECHAT_APP_SECRET?: string | undefined;
  WECHAT_ENCODING_AES_KEY?: string | undefined;
  WECHAT_API_BASE?: string | undefined;
  WECOM_CORP_ID?: string | undefined;
  WECOM_AGENT_ID?: number | undefined;
  WECOM_SECRET?: string | undefined;
  WECOM_TOKEN?: string | undefined;
  WECOM_ENCODING_AES_KEY?: string | undefined;
  WECOM_API_BASE?: string | undefined;
}

/** Shorter timings for tests. */
export interface ChannelTuning {
  telegram?: TelegramTuning & { leaseMs?: number; pollTimeoutSeconds?: number };
  dingtalk?: DingTalkTuning;
  wechat?: WeixinTuning;
  wecom?: WeixinTuning;
}

/** The running channels. */
export interface Channels {
  adapters: ChannelAdapter[];
  /** Every configured channel's state, for `/healthz` (a misconfigured one is listed as down). */
  statuses(): ChannelStatus[];
  /**
   * Telegram's webhook handler in webhook mode, `(headers, body) → {status, body}` (also in `webhooks` as POST
   * `/telegram/webhook`). Answers 503 until the channel has started.
   */
  telegramWebhook?: TelegramWebhookHandler;
  /** Callback routes to mount on the HTTP port (Telegram's webhook, WeChat's `/wechat`, WeCom's `/wecom`). */
  webhooks: ChannelWebhook[];
  /** A proactive message on `channel` (reminders); rejects for a channel that is not running. */
  send(channel: string, target: SendTarget, replies: Reply[]): Promise<void>;
  stop(): Promise<void>;
}

/** A channel that could not even be built (half its credentials): listed as down, never started. */
function misconfigured(name: string, reason: string, deps: ChannelDeps): ChannelStatus {
  deps.log.error(BOT_LOG.failedToStart(name, reason));
  return { name, state: "down", reason, since: deps.clock.now().toISOString() };
}

/**
 * Starts each channel whose credentials are set. A channel that fails to start is logged (Chinese and English,
 * with the reason), listed as down, and keeps retrying where it can (DingTalk reconnects, Telegram re-elects);
 * the others run regardless. Never rejects.
 */
export async function startChannels(
  config: ChannelConfig,
  deps: ChannelDeps,
  tuning: ChannelTuning = {},
): Promise<Channels> {
  const adapters: ChannelAdapter[] = [];
  const broken: ChannelStatus[] = [];
  let telegramWebhook: TelegramWebhookHandler | undefined;
  const webhooks: ChannelWebhook[] = [];

  if (config.TELEGRAM_BOT_TOKEN) {
    const url = config.TELEGRAM_WEBHOOK_URL;
    const secret = config.TELEGRAM_WEBHOOK_SECRET;
    if (Boolean(url) !== Boolean(secret)) {
      broken.push(
        misconfigured(
          "telegram",
          "TELEGRAM_WEBHOOK_URL and TELEGRAM_WEBHOOK_SECRET must be set together",
          deps,
        ),
      );
    } else {
      const { leaseMs, pollTimeoutSeconds, ...telegramTuning } = tuning.telegram ?? {};
      const telegram = new TelegramAdapter(
        {
          token: config.TELEGRAM_BOT_TOKEN,
          ...(config.TELEGRAM_API_ROOT ? { apiRoot: config.TELEGRAM_API_ROOT } : {}),
          ...(url && secret ? { webhook: { url, secret } } : {}),
          ...(leaseMs ? { leaseMs } : {}),
          ...(pollTimeoutSeconds !== undefined ? { pollTimeoutSeconds } : {}),
        },
        deps,
        telegramTuning,
      );
      adapters.push(telegram);
      if (url) {
        const hook: TelegramWebhookHandler = (headers, body) =>
          telegram.webhookHandler?.(headers, body) ?? Promise.resolve({ status: 503, body: '{"ok":false}' });
        telegramWebhook = hook;
        webhooks.push({
          method: "POST",
          path: "/telegram/webhook",
          handle: ({ headers, body }) => hook(headers, body),
        });
      }
    }
  }

  if (config.DINGTALK_CLIENT_ID || config.DINGTALK_CLIENT_SECRET) {
    if (!config.DINGTALK_CLIENT_ID || !config.DINGTALK_CLIENT_SECRET) {
      broken.push(
        misconfigured("dingtalk", "DINGTALK_CLIENT_ID and DINGTALK_CLIENT_SECRET must be set together", deps),
      );
    } else {
      adapters.push(
        new DingTalkAdapter(
          {
            clientId: config.DINGTALK_CLIENT_ID,
            clientSecret: config.DINGTALK_CLIENT_SECRET,
            ...(config.DINGTALK_GATEWAY_URL ? { gatewayUrl: config.DINGTALK_GATEWAY_URL } : {}),
            ...(config.DINGTALK_API_BASE ? { apiBase: config.DINGTALK_API_BASE } : {}),
          },
          deps,
          tuning.dingtalk,
        ),
      );
    }
  }

  const wechat = [config.WECHAT_TOKEN, config.WECHAT_APP_ID, config.WECHAT_APP_SECRET];
  if (wechat.some(Boolean) || config.WECHAT_ENCODING_AES_KEY) {
    const [token, appId, appSecret] = wechat;
    if (!token || !appId || !appSecret) {
      broken.push(
        misconfigured(
          "wechat",
          "WECHAT_TOKEN, WECHAT_APP_ID and WECHAT_APP_SECRET must be set together",
          deps,
        ),
      );
    } else {
      const adapter = new WeChatAdapter(
        {
          token,
          appId,
          appSecret,
          ...(config.WECHAT_ENCODING_AES_KEY ? { encodingAesKey: config.WECHAT_ENCODING_AES_KEY } : {}),
          ...(config.WECHAT_API_BASE ? { apiBase: config.WECHAT_API_BASE } : {}),
        },
        deps,
        tuning.wechat,
      );
      adapters.push(adapter);
      webhooks.push(...adapter.webhooks);
    }
  }

  const wecom = [
    config.WECOM_CORP_ID,
    config.WECOM_AGENT_ID,
    config.WECOM_SECRET,
    config.WECOM_TOKEN,
    config.WECOM_ENCODING_AES_KEY,
  ] as const;
  if (wecom.some((v) => v !== undefined && v !== "")) {
    const [corpId, agentId, secret, token, encodingAesKey] = wecom;
    if (!corpId || agentId === undefined || !secret || !token || !encodingAesKey) {
      broken.push(
        misconfigured(
          "wecom",
          "WECOM_CORP_ID, WECOM_AGENT_ID, WECOM_SECRET, WECOM_TOKEN and WECOM_ENCODING_AES_KEY must be set together",
          deps,
        ),
      );
    } else {
      const adapter = new WeComAdapter(
        {
          corpId,
          agentId,
          secret,
          token,
          encodingAesKey,
          ...(config.WECOM_API_BASE ? { apiBase: config.WECOM_API_BASE } : {}),
        },
        deps,
        tuning.wecom,
      );
      adapters.push(adapter);
      webhooks.push(...adapter.webhooks);
    }
  }

  await Promise.all(
    adapters.map(async (a) => {
      try {
        await a.start();
        deps.log.info(BOT_LOG.started(a.name, a.status().detail ?? a.status().state));
      } catch (err) {
        deps.log.error(BOT_LOG.failedToStart(a.name, errorSummary(err)));
      }
    }),
  );

  return {
    adapters,
    statuses: () => [...adapters.map((a) => a.status()), ...broken],
    ...(telegramWebhook ? { telegramWebhook } : {}),
    webhooks,
    send: async (channel, target, replies) => {
      const adapter = adapters.find((a) => a.name === channel);
      if (!adapter || adapter.status().state !== "up") throw new Error(`channel ${channel} is not running`);
      await adapter.send(target, replies);
    },
    stop: async () => {
      await Promise.all(
        adapters.map((a) =>
          a.stop().catch((err: unknown) => deps.log.warn(`${a.name}: stop failed: ${errorSummary(err)}`)),
        ),
      );
      for (const a of adapters) deps.log.info(BOT_LOG.stopped(a.name));
    },
  };
}

/** Stops every channel: no new messages, the ones in hand answered, connections and leases given up. */
export function stopChannels(channels: Channels): Promise<void> {
  return channels.stop();
}
