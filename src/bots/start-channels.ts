// The channels' one entry: start every configured chat channel, each on its own, and stop them together.
import { BOT_LOG } from "../i18n/bot-messages.ts";
import type { Reply } from "../shared/chat.ts";
import { errorSummary } from "./answer-message.ts";
import type { ChannelAdapter, ChannelDeps, ChannelStatus, SendTarget } from "./channel-adapter.ts";
import { DingTalkAdapter, type DingTalkTuning } from "./dingtalk/adapter.ts";
import { TelegramAdapter, type TelegramTuning } from "./telegram/adapter.ts";
import type { TelegramWebhookHandler } from "./telegram/webhook.ts";

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
}

/** Shorter timings for tests. */
export interface ChannelTuning {
  telegram?: TelegramTuning & { leaseMs?: number; pollTimeoutSeconds?: number };
  dingtalk?: DingTalkTuning;
}

/** The running channels. */
export interface Channels {
  adapters: ChannelAdapter[];
  /** Every configured channel's state, for `/healthz` (a misconfigured one is listed as down). */
  statuses(): ChannelStatus[];
  /**
   * Mount at POST `/telegram/webhook` when set (webhook mode): `(headers, body) → {status, body}`. Answers 503
   * until the channel has started.
   */
  telegramWebhook?: TelegramWebhookHandler;
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
      if (url)
        telegramWebhook = (headers, body) =>
          telegram.webhookHandler?.(headers, body) ?? Promise.resolve({ status: 503, body: '{"ok":false}' });
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
