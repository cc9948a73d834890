// The server as `serve` wires it: channels beside the HTTP API, the Telegram webhook mounted on the HTTP port,
// /healthz listing each channel (a channel that is down does not fail the check).
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { loadConfig } from "../../src/config.ts";
import { createServices } from "../../src/main.ts";
import { wireServer, type WiredServer } from "../../src/serve-wiring.ts";
import { systemClock } from "../../src/shared/clock.ts";
import { FakeTelegram } from "../fakes/fake-telegram.ts";
import { deleteKeysUnder, TEST_REDIS_URL, uniquePrefix } from "../sessions/support/redis-test-prefix.ts";

const prefix = uniquePrefix("serve-wiring");
const SECRET = "wiring_Secret-1";
let fake: FakeTelegram;
let wired: WiredServer;
let base: string;

beforeAll(async () => {
  fake = await FakeTelegram.start();
  const config = loadConfig({
    REDIS_URL: TEST_REDIS_URL,
    REDIS_PREFIX: prefix,
    LOG_LEVEL: "silent",
    TELEGRAM_BOT_TOKEN: fake.token,
    TELEGRAM_API_ROOT: fake.apiRoot,
    TELEGRAM_WEBHOOK_URL: "https://bot.example.org/telegram/webhook",
    TELEGRAM_WEBHOOK_SECRET: SECRET,
    // Half of DingTalk's credentials: listed as down with the reason; everything else runs.
    DINGTALK_CLIENT_ID: "only-the-id",
  });
  wired = await wireServer(config, await createServices(config, systemClock));
  const { port } = await wired.http.listen(0, "127.0.0.1");
  base = `http://127.0.0.1:${port}`;
});

afterAll(async () => {
  await wired?.http.shutdown(1_000);
  await wired?.close();
  await fake?.close();
  const admin = new Redis(TEST_REDIS_URL);
  await deleteKeysUnder(admin, prefix);
  admin.disconnect();
});

const update = (id: number, text: string) => ({
  update_id: id,
  message: {
    message_id: id,
    from: { id: 42, is_bot: false, first_name: "甲" },
    chat: { id: 42, type: "private" },
    date: 1,
    text,
  },
});

const post = (headers: Record<string, string>, body: string) =>
  fetch(`${base}/telegram/webhook`, {
    method: "POST",
    headers: { "content-type": "application/json", ...headers },
    body,
  });

describe("serve wiring", () => {
  it("lists every channel on /healthz and stays 200 while one is down", async () => {
    const res = await fetch(`${base}/healthz`);
    expect(res.status).toBe(200);
    const body = (await res.json()) as {
      store: string;
      channels: Array<{ name: string; state: string; reason?: string }>;
    };
    expect(body.store).toBe("up");
    const byName = new Map(body.channels.map((c) => [c.name, c]));
    expect(byName.get("telegram")?.state).toBe("up");
    expect(byName.get("dingtalk")?.state).toBe("down");
    expect(byName.get("dingtalk")?.reason).toMatch(/DINGTALK_CLIENT_SECRET/);
  });

  it("mounts the Telegram webhook on the HTTP port: a forged secret is 403, a real update is answered once", async () => {
    const before = fake.sent.length;
    expect(
      (await post({ "x-telegram-bot-api-secret-token": "forged" }, JSON.stringify(update(1, "/help"))))
        .status,
    ).toBe(403);
    expect(fake.sent.length).toBe(before);
    const good = { "x-telegram-bot-api-secret-token": SECRET };
    expect((await post(good, JSON.stringify(update(2, "公示几天？")))).status).toBe(200);
    expect(fake.sent.length).toBeGreaterThan(before);
    expect(fake.sent.at(-1)?.text).toMatch(/公示/);
    const after = fake.sent.length;
    expect((await post(good, JSON.stringify(update(2, "公示几天？")))).status).toBe(200);
    expect(fake.sent.length).toBe(after);
    expect((await post(good, "{not json")).status).toBe(400);
    // A body of another type reaches the channel as it was sent, and is judged by the channel.
    const xml = await fetch(`${base}/telegram/webhook`, {
      method: "POST",
      headers: { "content-type": "text/xml", ...good },
      body: "<xml/>",
    });
    expect(xml.status).toBe(400);
  });

  it("keeps the API's own routes and errors beside the webhook", async () => {
    expect((await fetch(`${base}/api/clauses?q=${encodeURIComponent("破格")}`)).status).toBe(200);
    const wrongMethod = await fetch(`${base}/telegram/webhook`);
    expect(wrongMethod.status).toBe(405);
  });
});
