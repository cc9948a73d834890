// The Telegram channel: the contract every channel passes, then what only Telegram has (buttons, commands,
// mentions, one poller per token across replicas, the webhook).
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { LeaseLock } from "../../src/app/lease-lock.ts";
import { decodeUpdate } from "../../src/bots/telegram/decode.ts";
import { BOT_MESSAGES } from "../../src/i18n/bot-messages.ts";
import type { InboundMessage } from "../../src/shared/chat.ts";
import { FakeTelegram } from "../fakes/fake-telegram.ts";
import { deleteKeysUnder, TEST_REDIS_URL, uniquePrefix } from "../sessions/support/redis-test-prefix.ts";
import { channelContract } from "./channel-contract.ts";
import { TELEGRAM_TUNING, telegramHarness, TelegramUnderTest } from "./support/telegram-harness.ts";

channelContract(telegramHarness);

const ME = { id: 42, username: "zhicheng_test_bot" };
const group = { id: -100, type: "supergroup" };
const from = { id: 7, is_bot: false, first_name: "甲" };

function decodeText(text: string, entities: unknown[], extra: Record<string, unknown> = {}) {
  const inbound = decodeUpdate(
    { update_id: 1, message: { message_id: 5, from, chat: group, date: 1, text, entities, ...extra } },
    ME,
  );
  if (!inbound || "expired" in inbound) throw new Error("not decoded");
  return inbound.msg;
}

describe("telegram: reading a group message", () => {
  it("is addressed by /cmd, /cmd@us, an @-mention, a text mention or a reply to us, and not by /cmd@other", () => {
    expect(decodeText("/help", [{ type: "bot_command", offset: 0, length: 5 }])).toMatchObject({
      addressed: true,
      text: "/help",
    });
    const ours = decodeText("/deadlines@ZhiCheng_Test_Bot 北京", [
      { type: "bot_command", offset: 0, length: 28 },
    ]);
    expect(ours).toMatchObject({ addressed: true, text: "/deadlines 北京" });
    expect(decodeText("/help@otherbot", [{ type: "bot_command", offset: 0, length: 14 }]).addressed).toBe(
      false,
    );
    const mention = decodeText("公示 @zhicheng_test_bot 几天", [{ type: "mention", offset: 3, length: 18 }]);
    expect(mention).toMatchObject({ addressed: true, text: "公示 几天" });
    const other = decodeText("@someone 公示几天", [{ type: "mention", offset: 0, length: 8 }]);
    expect(other).toMatchObject({ addressed: false });
    expect(
      decodeText("公示几天", [{ type: "text_mention", offset: 0, length: 2, user: { id: 42 } }]).addressed,
    ).toBe(true);
    const reply = decodeText("那几天？", [], { reply_to_message: { message_id: 3, from: { id: 42 } } });
    expect(reply.addressed).toBe(true);
    expect(decodeText("公示几天", []).addressed).toBe(false);
  });

  it("keys the session by group and sender, and the 1:1 chat by the user alone", () => {
    const inGroup: InboundMessage = decodeText("/help", []);
    expect(inGroup.conversation).toEqual({ kind: "group", groupId: "-100", userId: "7" });
    const direct = decodeUpdate(
      {
        update_id: 2,
        message: { message_id: 1, from, chat: { id: 7, type: "private" }, date: 1, text: "hi" },
      },
      ME,
    );
    expect(direct && !("expired" in direct) && direct.msg.user).not.toBe(inGroup.user);
    expect(direct && !("expired" in direct) && direct.msg.addressed).toBe(true);
  });

  it("ignores what it cannot answer: channel posts, bots, malformed updates", () => {
    expect(
      decodeUpdate(
        { update_id: 1, message: { message_id: 1, chat: { id: 1, type: "channel" }, date: 1 } },
        ME,
      ),
    ).toBe(undefined);
    expect(
      decodeUpdate(
        { update_id: 1, message: { message_id: 1, from: { id: 9, is_bot: true }, chat: group, date: 1 } },
        ME,
      ),
    ).toBe(undefined);
    expect(decodeUpdate({ nonsense: true }, ME)).toBe(undefined);
  });
});

describe("telegram: through the fake Bot API", () => {
  const prefix = uniquePrefix("telegram-only");
  let ch: TelegramUnderTest;

  beforeAll(async () => {
    ch = await TelegramUnderTest.start({ redisUrl: TEST_REDIS_URL, prefix });
  });

  afterAll(async () => {
    await ch?.stop();
    const admin = new Redis(TEST_REDIS_URL);
    await deleteKeysUnder(admin, prefix);
    admin.disconnect();
  });

  it("registers its commands, removes any webhook, and answers /start and /help", async () => {
    expect(ch.fake.callsOf("deleteWebhook").length).toBeGreaterThan(0);
    expect(ch.fake.commands).toEqual(BOT_MESSAGES.commands);
    expect((await ch.say({ user: "newcomer" }, "/start"))[0]?.text).toContain("您好，我是职称助手");
    expect((await ch.say({ user: "newcomer" }, "/help"))[0]?.text).toContain("可用命令");
    expect(ch.channels.statuses()).toEqual([
      expect.objectContaining({ name: "telegram", state: "up", detail: "long polling" }),
    ]);
  });

  it("escapes & < > in HTML mode (user text and clause text included)", async () => {
    const [reply] = await ch.say({ user: "escaper" }, "/clause a<b>&c");
    expect(reply?.text).toContain("“a<b>&c”");
    const raw = ch.fake.sent.at(-1)?.raw ?? "";
    expect(raw).toContain("a&lt;b&gt;&amp;c");
    expect(ch.fake.sent.at(-1)?.parse_mode).toBe("HTML");
  });

  it("answers every button press, takes the keyboard away, and keeps callback_data within 64 bytes", async () => {
    const me = { user: "presser" };
    await ch.say(me, "能评职称吗");
    const answered = ch.fake.callbackAnswers.length;
    const replies = await ch.choose(me, "浙江");
    expect(replies[0]?.text).toContain("地区 浙江");
    expect(ch.fake.callbackAnswers.length).toBe(answered + 1);
    const pressedOn = ch.fake.sentTo(ch.chat(me).id).find((m) => m.text.includes("哪个地区"));
    expect(pressedOn?.reply_markup).toBeUndefined();
    // A long label still travels as a short index (a Chinese character is 3 bytes).
    for (const m of ch.fake.sent)
      for (const b of m.reply_markup?.inline_keyboard.flat() ?? [])
        expect(Buffer.byteLength(b.callback_data ?? "")).toBeLessThanOrEqual(64);
  });

  it("answers a press on a message too old to read back with a note, and runs no turn", async () => {
    const before = ch.fake.sent.length;
    const u = ch.fake.push({
      callback_query: {
        id: "old-press",
        from: { id: 5, is_bot: false, first_name: "乙" },
        chat_instance: "1",
        message: { message_id: 1, chat: { id: 5, type: "private" }, date: 0 },
        data: "c:1",
      },
    });
    await ch.fake.handled(u);
    expect(ch.fake.callbackAnswers.at(-1)).toEqual({
      callback_query_id: "old-press",
      text: BOT_MESSAGES.choiceExpired,
    });
    expect(ch.fake.sent.length).toBe(before);
  });

  it("in a group: ignores /cmd@otherbot, answers /cmd@us and a reply to one of its messages", async () => {
    const conv = { user: "colleague", group: "team" };
    const chat = ch.chat(conv);
    const before = ch.fake.sent.length;
    const other = ch.fake.says(chat, ch.user("colleague"), "/help@otherbot");
    await ch.fake.handled(other);
    expect(ch.fake.sent.length).toBe(before);
    const ours = ch.fake.says(chat, ch.user("colleague"), `/help@${ch.fake.bot.username}`);
    await ch.fake.handled(ours);
    const help = ch.fake.sent.at(-1);
    expect(help?.text).toContain("可用命令");
    expect(help?.reply_to).toBe((ours.message as { message_id: number }).message_id);
    const reply = ch.fake.says(chat, ch.user("colleague"), "公示几天？", { replyTo: help });
    await ch.fake.handled(reply);
    expect(ch.fake.sent.at(-1)?.text).toMatch(/公示/);
  });
});

describe("telegram: one poller per bot token across replicas", () => {
  const prefix = uniquePrefix("telegram-replicas");
  let fake: FakeTelegram;

  beforeAll(async () => {
    fake = await FakeTelegram.start();
  });

  afterAll(async () => {
    await fake.close();
    const admin = new Redis(TEST_REDIS_URL);
    await deleteKeysUnder(admin, prefix);
    admin.disconnect();
  });

  const detailOf = (r: TelegramUnderTest) => r.channels.statuses()[0]?.detail;

  it("elects one poller (no 409s, each message answered once), and a standby takes over when it stops", async () => {
    const a = await TelegramUnderTest.start({ redisUrl: TEST_REDIS_URL, prefix }, { fake });
    const b = await TelegramUnderTest.start({ redisUrl: TEST_REDIS_URL, prefix }, { fake });
    try {
      await fake.until(() => [a, b].some((r) => detailOf(r) === "long polling"));
      await fake.until(() => [a, b].some((r) => detailOf(r)?.startsWith("standby")));
      const [leader, standby] = detailOf(a) === "long polling" ? [a, b] : [b, a];
      for (let i = 0; i < 5; i++) expect((await leader.say({ user: `u${i}` }, "/help")).length).toBe(1);
      expect(fake.conflicts).toBe(0);

      await leader.channels.stop();
      await fake.until(() => detailOf(standby) === "long polling", 5_000, "the standby to take over");
      expect((await standby.say({ user: "after" }, "/help")).length).toBe(1);
      expect(fake.conflicts).toBe(0);
    } finally {
      await a.stop();
      await b.stop();
    }
  });

  it("takes over after the lease lapses when the poller dies without giving it up", async () => {
    // A poller that dies keeps its lease until it lapses: model it by a lock whose release does nothing.
    const a = await TelegramUnderTest.start(
      { redisUrl: TEST_REDIS_URL, prefix },
      {
        fake,
        prepare: (env) => {
          const lock = env.deps.lock;
          const dying: LeaseLock = {
            hold: (n, o, t) => lock.hold(n, o, t),
            release: () => Promise.resolve(),
          };
          env.deps.lock = dying;
        },
      },
    );
    await fake.until(() => detailOf(a) === "long polling");
    const b = await TelegramUnderTest.start({ redisUrl: TEST_REDIS_URL, prefix }, { fake });
    try {
      await fake.until(() => detailOf(b)?.startsWith("standby") === true);
      const stoppedAt = Date.now();
      await a.channels.stop();
      await fake.until(() => detailOf(b) === "long polling", 6_000, "the standby to take over");
      // Not before the lease (2 s) ran out: it was never released.
      expect(Date.now() - stoppedAt).toBeGreaterThanOrEqual(1_000);
      expect((await b.say({ user: "lapsed" }, "/help")).length).toBe(1);
      expect(fake.conflicts).toBe(0);
    } finally {
      await a.stop();
      await b.stop();
    }
  });
});

describe("telegram: webhook mode", () => {
  const prefix = uniquePrefix("telegram-webhook");
  const SECRET = "s3cret_Token-1";
  let ch: TelegramUnderTest;
  let turns = 0;

  beforeAll(async () => {
    ch = await TelegramUnderTest.start(
      { redisUrl: TEST_REDIS_URL, prefix },
      {
        config: {
          TELEGRAM_WEBHOOK_URL: "https://bot.example.org/telegram/webhook",
          TELEGRAM_WEBHOOK_SECRET: SECRET,
        },
        tuning: TELEGRAM_TUNING,
        prepare: (env) => {
          const turn = env.deps.turn;
          env.deps.turn = (m: InboundMessage) => {
            turns++;
            return turn(m);
          };
        },
      },
    );
  });

  afterAll(async () => {
    await ch?.stop();
    const admin = new Redis(TEST_REDIS_URL);
    await deleteKeysUnder(admin, prefix);
    admin.disconnect();
  });

  const update = (id: number, text: string) => ({
    update_id: id,
    message: {
      message_id: id,
      from: { id: 99, is_bot: false, first_name: "丙" },
      chat: { id: 99, type: "private" },
      date: 1,
      text,
    },
  });

  it("sets the webhook with its secret token and does not poll", () => {
    expect(ch.fake.webhook).toEqual({
      url: "https://bot.example.org/telegram/webhook",
      secret_token: SECRET,
    });
    expect(ch.fake.callsOf("getUpdates")).toEqual([]);
    expect(ch.channels.statuses()[0]).toMatchObject({ state: "up", detail: "webhook" });
  });

  it("refuses a request without the right secret with 403, processing nothing", async () => {
    const hook = ch.channels.telegramWebhook;
    if (!hook) throw new Error("no webhook handler");
    const before = ch.fake.sent.length;
    expect((await hook({}, update(1, "/help"))).status).toBe(403);
    expect((await hook({ "x-telegram-bot-api-secret-token": "wrong" }, update(2, "/help"))).status).toBe(403);
    expect((await hook({ "x-telegram-bot-api-secret-token": `${SECRET}x` }, update(3, "/help"))).status).toBe(
      403,
    );
    expect(turns).toBe(0);
    expect(ch.fake.sent.length).toBe(before);
  });

  it("answers an update (raw or parsed body), once even when Telegram sends it again; 400 for a broken body", async () => {
    const hook = ch.channels.telegramWebhook;
    if (!hook) throw new Error("no webhook handler");
    const headers = { "x-telegram-bot-api-secret-token": SECRET };
    const before = ch.fake.sent.length;
    expect(await hook(headers, JSON.stringify(update(10, "公示几天？")))).toEqual({
      status: 200,
      body: "{}",
    });
    expect(ch.fake.sent.length).toBeGreaterThan(before);
    expect(ch.fake.sent.at(-1)?.text).toMatch(/公示/);
    const after = ch.fake.sent.length;
    expect((await hook(headers, update(10, "公示几天？"))).status).toBe(200);
    expect(ch.fake.sent.length).toBe(after);
    expect((await hook(headers, "{not json")).status).toBe(400);
  });

  it("answers 500 when the replies could not be delivered; Telegram's resend gets them, once; 200 when refused", async () => {
    const hook = ch.channels.telegramWebhook;
    if (!hook) throw new Error("no webhook handler");
    const headers = { "x-telegram-bot-api-secret-token": SECRET };
    ch.fake.failNext("sendMessage", ...Array.from({ length: 6 }, () => ({ status: 502 as const })));
    const before = ch.fake.sent.length;
    expect((await hook(headers, update(20, "/help"))).status).toBe(500);
    expect(ch.fake.sent.length).toBe(before);
    // Telegram sends it again: the store hands back the replies it recorded (the dialog does not run again).
    const turnsBefore = turns;
    expect((await hook(headers, update(20, "/help"))).status).toBe(200);
    expect(ch.fake.sent.slice(before).map((m) => m.text)).toEqual([expect.stringContaining("可用命令")]);
    expect(turns).toBe(turnsBefore + 1);
    expect((await hook(headers, update(20, "/help"))).status).toBe(200);
    expect(ch.fake.sent.length).toBe(before + 1);
    // Refused for good (the user blocked the bot): sending it again would not help.
    ch.fake.failNext("sendMessage", { status: 403, description: "Forbidden: bot was blocked by the user" });
    expect((await hook(headers, update(21, "/help"))).status).toBe(200);
  });
});
