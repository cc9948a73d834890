// Send rates per platform: overall (the worker's limiter) and per chat (a window counted in Redis).
// Telegram: https://core.telegram.org/bots/faq#my-bot-is-hitting-limits-how-do-i-avoid-this (~30/s, 20/min a group).
// DingTalk robot sends: limits unverified (docs/channels.md); WeCom app message/send: 30/min per member.

export interface RateWindow {
  max: number;
  durationMs: number;
}

export interface PlatformLimits {
  overall: RateWindow;
  group: RateWindow;
  direct: RateWindow;
}

/** The limits each platform's sends keep (a platform not listed gets DingTalk's, the most careful). */
export const PLATFORM_LIMITS: Readonly<Record<string, PlatformLimits>> = {
  telegram: {
    overall: { max: 30, durationMs: 1_000 },
    group: { max: 20, durationMs: 60_000 },
    direct: { max: 1, durationMs: 1_000 },
  },
  dingtalk: {
    overall: { max: 20, durationMs: 1_000 },
    group: { max: 20, durationMs: 60_000 },
    direct: { max: 20, durationMs: 60_000 },
  },
  wecom: {
    overall: { max: 20, durationMs: 1_000 },
    group: { max: 30, durationMs: 60_000 },
    direct: { max: 30, durationMs: 60_000 },
  },
};

export function limitsOf(channel: string, table: Readonly<Record<string, PlatformLimits>> = PLATFORM_LIMITS) {
  return table[channel] ?? table.dingtalk ?? PLATFORM_LIMITS.dingtalk!;
}
