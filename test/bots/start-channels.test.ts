// Starting the channels: each on its own; one that cannot start is logged (Chinese and English) and listed down.
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { startChannels } from "../../src/bots/start-channels.ts";
import { FakeDingTalk } from "../fakes/fake-dingtalk.ts";
import { FakeTelegram } from "../fakes/fake-telegram.ts";
import { deleteKeysUnder, TEST_REDIS_URL, uniquePrefix } from "../sessions/support/redis-test-prefix.ts";
import { channelEnv } from "./support/channel-env.ts";
import { DINGTALK_TUNING, dingtalkConfig } from "./support/dingtalk-harness.ts";
import { TELEGRAM_TUNING } from "./support/telegram-harness.ts";

const prefix = uniquePrefix("start-channels");

afterAll(async () => {
  const admin = new Redis(TEST_REDIS_URL);
  await deleteKeysUnder(admin, prefix);
  admin.disconnect();
});

describe("startChannels", () => {
  it("keeps DingTalk running when Telegram refuses its token, and says why in both languages", async () => {
    const telegram = await FakeTelegram.start("111:right");
    const dingtalk = await FakeDingTalk.start();
    const env = await channelEnv({ redisUrl: TEST_REDIS_URL, prefix });
    const channels = await startChannels(
      { TELEGRAM_BOT_TOKEN: "111:wrong", TELEGRAM_API_ROOT: telegram.apiRoot, ...dingtalkConfig(dingtalk) },
      env.deps,
      { ...TELEGRAM_TUNING, ...DINGTALK_TUNING },
    );
    try {
      const byName = Object.fromEntries(channels.statuses().map((s) => [s.name, s]));
      expect(byName.telegram).toMatchObject({
        state: "down",
        reason: expect.stringMatching(/401/) as unknown,
      });
      expect(byName.dingtalk).toMatchObject({ state: "up" });
      const log = env.deps.log.lines.join("\n");
      expect(log).toMatch(
        /渠道 telegram 启动失败，其他渠道照常运行：.*401.* \/ channel telegram failed to start/,
      );
      expect(log).not.toContain("111:wrong");
      const pushed = dingtalk.push({ staffId: "still" }, { kind: "direct" }, "/help");
      await dingtalk.until(() => dingtalk.repliesTo(pushed).length > 0, 10_000, "dingtalk answer");
    } finally {
      await channels.stop();
      await env.close();
      await telegram.close();
      await dingtalk.close();
    }
  });

  it("lists a half-configured channel as down without starting it, and starts nothing unconfigured", async () => {
    const env = await channelEnv({ redisUrl: TEST_REDIS_URL, prefix });
    const channels = await startChannels(
      {
        TELEGRAM_BOT_TOKEN: "1:x",
        TELEGRAM_WEBHOOK_URL: "https://bot.example.org/telegram/webhook",
        DINGTALK_CLIENT_ID: "only-the-id",
      },
      env.deps,
    );
    try {
      expect(channels.adapters).toEqual([]);
      expect(channels.telegramWebhook).toBeUndefined();
      expect(channels.statuses()).toEqual([
        expect.objectContaining({
          name: "telegram",
          state: "down",
          reason: expect.stringMatching(/set together/) as unknown,
        }),
        expect.objectContaining({
          name: "dingtalk",
          state: "down",
          reason: expect.stringMatching(/set together/) as unknown,
        }),
      ]);
      const none = await startChannels({}, env.deps);
      expect(none.statuses()).toEqual([]);
    } finally {
      await channels.stop();
      await env.close();
    }
  });
});
