// `zhicheng worker` as its own process: it starts its channels and the reminder workers, answers a subscription
// sent through the fake Telegram (stored in Redis for every process), and stops cleanly on SIGTERM.
import { spawn } from "node:child_process";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { RedisSubscriptionStore } from "../../src/reminders/subscription-store.ts";
import { FakeTelegram } from "../fakes/fake-telegram.ts";
import { deleteKeysUnder, TEST_REDIS_URL, uniquePrefix } from "../sessions/support/redis-test-prefix.ts";

const prefix = uniquePrefix("worker-process");
const admin = new Redis(TEST_REDIS_URL);
afterAll(async () => {
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

describe("zhicheng worker", () => {
  it("runs the channels and reminder workers until SIGTERM", async () => {
    const telegram = await FakeTelegram.start();
    const child = spawn(process.execPath, ["--import", "tsx", "src/main.ts", "worker"], {
      env: {
        ...process.env,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: prefix,
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_API_ROOT: telegram.apiRoot,
        LOG_LEVEL: "silent",
      },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    child.stdout.on("data", (d: Buffer) => (stdout += d.toString()));
    child.stderr.on("data", () => undefined);
    const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
    try {
      await until(() => stdout.includes("提醒发送进程已启动"), 30_000, "the worker to start");
      telegram.says({ id: 777, type: "private" }, { id: 777, first_name: "乙" }, "/subscribe 浙江 高工");
      await until(() => telegram.sent.some((m) => m.chat.id === 777), 15_000, "the answer");
      expect(telegram.sent.find((m) => m.chat.id === 777)?.text).toMatch(/已订阅浙江 高级工程师/);
      const subs = new RedisSubscriptionStore(admin, `${prefix}{zc-reminders}:`);
      expect(await subs.all()).toEqual([
        { chat: { channel: "telegram", kind: "direct", id: "777" }, region: "zhejiang", level: "senior" },
      ]);
      child.kill("SIGTERM");
      expect(await exited).toBe(0);
      expect(stdout).toContain("提醒发送进程已停止");
    } finally {
      if (child.exitCode === null) child.kill("SIGKILL");
      await telegram.close();
    }
  });
});
