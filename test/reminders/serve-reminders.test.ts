// `serve` with reminders: a Telegram user subscribes in chat (answered before the dialog), and the in-process
// scheduler sends the reminders due through the same Telegram channel, once.
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { createServices } from "../../src/main.ts";
import { shanghaiInstant } from "../../src/reminders/reminder-schedule.ts";
import { wireServer, type WiredServer } from "../../src/serve-wiring.ts";
import type { Clock } from "../../src/shared/clock.ts";
import { FakeTelegram } from "../fakes/fake-telegram.ts";
import { deleteKeysUnder, TEST_REDIS_URL, uniquePrefix } from "../sessions/support/redis-test-prefix.ts";

const prefix = uniquePrefix("serve-reminders");
// Real time running, shifted to 2024-10-18 10:00 Shanghai (three Bazhong engineer deadlines have reminders due).
const shift = shanghaiInstant("2024-10-18", 10).getTime() - Date.now();
const clock: Clock = { now: () => new Date(Date.now() + shift) };
let fake: FakeTelegram;
let wired: WiredServer;

beforeAll(async () => {
  fake = await FakeTelegram.start();
  const config = loadConfig({
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: "silent",
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    REMINDERS_TICK_SECONDS: "1",
  });
  wired = await wireServer(config, await createServices(config, clock));
});

afterAll(async () => {
  await wired?.close();
  await fake?.close();
  const admin = new Redis(TEST_REDIS_URL);
  await deleteKeysUnder(admin, prefix);
  admin.disconnect();
});

async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe("serve runs reminders in-process", () => {
  it("subscribes from a Telegram chat and sends what is due, once", async () => {
    const user = { id: 4242, first_name: "甲" };
    fake.says({ id: 4242, type: "private" }, user, "订阅巴中工程师的截止提醒");
    await until(() => fake.sent.some((m) => m.text.includes("已订阅")), 10_000, "the subscription's answer");
    expect(fake.sent.find((m) => m.text.includes("已订阅"))?.text).toMatch(/已订阅四川巴中 工程师的截止提醒/);
    await until(
      () => fake.sent.filter((m) => m.text.includes("【截止提醒】")).length >= 3,
      15_000,
      "reminders",
    );
    // Two more ticks: nothing more.
    await new Promise((r) => setTimeout(r, 2_500));
    const reminders = fake.sent.filter((m) => m.text.includes("【截止提醒】"));
    expect(reminders).toHaveLength(3);
    expect(reminders.every((m) => m.chat.id === 4242)).toBe(true);
    expect(reminders.map((m) => m.text.split("\n")[1]).sort()).toEqual([
      "事项：个人修改提交截止",
      "事项：收取纸质材料截止（巴中市巴州区江北大道西段74号4楼，市营商环境和数据局）",
      expect.stringMatching(/^事项：用人单位提交截止/) as unknown as string,
    ]);
  });
});
