// Starting the channels: each on its own; one that cannot start is logged (Chinese and English) and listed down.
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { chatTurn } from "../../src/app/chat-turn.ts";
import { createChannelPrimitives } from "../../src/app/channel-primitives.ts";
import { withGroupPolicy } from "../../src/app/group-policy.ts";
import { startChannels } from "../../src/bots/start-channels.ts";
import { loadConfig } from "../../src/config.ts";
import { createChat } from "../../src/main.ts";
import { systemClock } from "../../src/shared/clock.ts";
import { FakeDingTalk } from "../fakes/fake-dingtalk.ts";
import { FakeTelegram } from "../fakes/fake-telegram.ts";
import { deleteKeysUnder, TEST_REDIS_URL, uniquePrefix } from "../sessions/support/redis-test-prefix.ts";
import { channelEnv, memoryLogger, sharedServices, TEST_CLOCK } from "./support/channel-env.ts";
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

  it("runs both channels without Redis (one process): in-memory lease, delivery marks and inbox", async () => {
    const telegram = await FakeTelegram.start();
    const dingtalk = await FakeDingTalk.start();
    const chat = await createChat({ ...(await sharedServices()), config: loadConfig({}) });
    const primitives = createChannelPrimitives({ prefix: "zc:", clock: systemClock });
    const channels = await startChannels(
      {
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        ...dingtalkConfig(dingtalk),
      },
      {
        turn: withGroupPolicy((m) => chatTurn(m, chat), TEST_CLOCK),
        log: memoryLogger(),
        clock: systemClock,
        ...primitives,
      },
      { ...TELEGRAM_TUNING, ...DINGTALK_TUNING },
    );
    try {
      expect(channels.statuses().map((s) => [s.name, s.state, s.detail])).toEqual([
        ["telegram", "up", "long polling"],
        ["dingtalk", "up", "stream"],
      ]);
      const u = telegram.says({ id: 5, type: "private" }, { id: 5, first_name: "甲" }, "/help");
      await telegram.handled(u);
      expect(telegram.sentTo(5).at(-1)?.text).toContain("可用命令");
      const pushed = dingtalk.push({ staffId: "mem" }, { kind: "direct" }, "/help");
      await dingtalk.until(() => dingtalk.repliesTo(pushed).length > 0, 10_000, "dingtalk answer");
      dingtalk.send(pushed);
      await dingtalk.until(
        () => dingtalk.acks.filter((a) => a.messageId === pushed.streamMessageId).length === 2,
      );
      await new Promise((r) => setTimeout(r, 300));
      expect(dingtalk.repliesTo(pushed)).toHaveLength(1);
    } finally {
      await channels.stop();
      await primitives.close();
      await chat.store.close();
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
