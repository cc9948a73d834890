// Subscription commands around the chat turn: parsing, scope, groups and admins, the iCalendar link, closed rounds,
// /forget; the Redis store against a real Redis.
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { withSubscriptionCommands, type SubscriptionDeps } from "../../src/app/subscription-commands.ts";
import { decodeRobotMessage } from "../../src/bots/dingtalk/decode.ts";
import { listDeadlines } from "../../src/rules/deadlines.ts";
import { chatKey } from "../../src/reminders/chat-ref.ts";
import { MemorySentLog, RedisSentLog } from "../../src/reminders/sent-log.ts";
import { parseSubscriptionCommand } from "../../src/reminders/subscription-command.ts";
import {
  MemorySubscriptionStore,
  RedisSubscriptionStore,
  type SubscriptionStore,
} from "../../src/reminders/subscription-store.ts";
import type { ChatOutcome, InboundMessage } from "../../src/shared/chat.ts";
import { fixedClock } from "../../src/shared/clock.ts";
import { ruleBook } from "../rules/load-fixtures.ts";

const seen: InboundMessage[] = [];
const turn = (msg: InboundMessage): Promise<ChatOutcome> => {
  seen.push(msg);
  return Promise.resolve({ status: "answered", replies: [{ text: `dialog: ${msg.text}` }] });
};

function setup(over: Partial<SubscriptionDeps> = {}) {
  const deps: SubscriptionDeps = {
    subscriptions: new MemorySubscriptionStore(),
    sent: new MemorySentLog(fixedClock("2024-09-01T00:00:00Z")),
    clock: fixedClock("2024-09-01T00:00:00Z"),
    deadlines: () => listDeadlines(ruleBook().deadlines),
    adminsOnly: true,
    proactive: new Set(["telegram", "dingtalk", "wecom"]),
    ...over,
  };
  const wrapped = withSubscriptionCommands(turn, deps);
  const say = async (text: string, msg: Partial<InboundMessage> = {}) => {
    const out = await wrapped({
      channel: "telegram",
      user: "u1",
      text,
      conversation: { kind: "direct", userId: "u1" },
      ...msg,
    });
    return out.replies.map((r) => r.text).join("\n");
  };
  return { deps, say };
}

const inGroup = (admin?: boolean): Partial<InboundMessage> => ({
  conversation: { kind: "group", groupId: "-100", userId: "u1" },
  isGroup: true,
  addressed: true,
  ...(admin === undefined ? {} : { senderIsAdmin: admin }),
});

describe("subscription commands", () => {
  it("reads the slash commands and the plain-Chinese forms", () => {
    expect(parseSubscriptionCommand("/subscribe 巴中 工程师")).toEqual({
      kind: "subscribe",
      region: "sichuan-bazhong",
      level: "engineer",
    });
    expect(parseSubscriptionCommand("订阅巴中工程师的截止提醒")).toEqual({
      kind: "subscribe",
      region: "sichuan-bazhong",
      level: "engineer",
    });
    expect(parseSubscriptionCommand("/subscribe@zc_bot 浙江 高工")).toMatchObject({
      region: "zhejiang",
      level: "senior",
    });
    expect(parseSubscriptionCommand("取消订阅浙江")).toEqual({ kind: "unsubscribe", region: "zhejiang" });
    expect(parseSubscriptionCommand("/unsubscribe")).toEqual({ kind: "unsubscribe" });
    expect(parseSubscriptionCommand("/subscriptions")).toEqual({ kind: "list" });
    expect(parseSubscriptionCommand("我的订阅")).toEqual({ kind: "list" });
    expect(parseSubscriptionCommand("/subscribe 深圳")).toEqual({ kind: "subscribe", unknownPlace: "深圳" });
    // Not commands: a personal reminder, a policy question, facts.
    expect(parseSubscriptionCommand("到时提醒我")).toBeUndefined();
    expect(parseSubscriptionCommand("巴中工程师什么时候截止")).toBeUndefined();
    expect(parseSubscriptionCommand("我在巴中，硕士")).toBeUndefined();
  });

  it("subscribes a chat, lists and unsubscribes, without touching the dialog (no profile facts)", async () => {
    const { deps, say } = setup();
    seen.length = 0;
    expect(await say("订阅巴中工程师的截止提醒")).toMatch(/已订阅四川巴中 工程师的截止提醒.*9点/);
    expect(await say("/subscribe 巴中 工程师")).toMatch(/已经订阅了四川巴中 工程师/);
    expect(await say("/subscribe 浙江")).toMatch(/已订阅浙江/);
    expect(await say("/subscriptions")).toBe("这里订阅了：四川巴中 工程师、浙江。");
    expect(seen).toEqual([]);
    expect((await deps.subscriptions.all()).map((s) => [chatKey(s.chat), s.region, s.level])).toEqual([
      ["telegram:d:u1", "sichuan-bazhong", "engineer"],
      ["telegram:d:u1", "zhejiang", undefined],
    ]);
    expect(await say("/unsubscribe 巴中")).toBe("已退订：四川巴中 工程师。");
    expect(await say("/unsubscribe 巴中")).toBe("这里没有相应的订阅。");
    expect(await say("/unsubscribe")).toBe("已退订：浙江。");
    expect(await say("我的订阅")).toMatch(/还没有订阅/);
    expect(await say("能评高工吗")).toBe("dialog: 能评高工吗");
  });

  it("asks for a region, and refuses a place it holds nothing for", async () => {
    const { say } = setup();
    expect(await say("/subscribe")).toMatch(/请说明要订阅哪个地区（北京、浙江、四川巴中）/);
    expect(await say("/subscribe 深圳")).toMatch(/没有深圳的职称通知/);
  });

  it("says plainly when every held round is closed, and keeps the subscription", async () => {
    const { deps, say } = setup({ clock: fixedClock("2025-03-01T00:00:00Z") });
    expect(await say("/subscribe 浙江 高工")).toMatch(
      /都已结束（最后一个截止日为2024年12月31日）.*订阅会保留/,
    );
    expect(await deps.subscriptions.all()).toHaveLength(1);
    // Beijing's measures are no round: nothing dated to remind of yet.
    expect(await say("/subscribe 北京")).toMatch(/没有带截止日期的申报轮次/);
    // On 2024-09-01 Zhejiang's senior round is open: no note.
    const open = setup();
    expect(await open.say("/subscribe 浙江 高工")).not.toMatch(/注意/);
  });

  it("in a group: only admins where the platform says, anyone where it cannot or the setting allows", async () => {
    const { deps, say } = setup();
    expect(await say("/subscribe 浙江", inGroup(false))).toBe("在群里只有群管理员可以订阅或退订截止提醒。");
    expect(await say("/unsubscribe", inGroup(false))).toMatch(/只有群管理员/);
    expect(await deps.subscriptions.all()).toEqual([]);
    expect(await say("/subscribe 浙江", inGroup(true))).toMatch(/已订阅浙江/);
    expect(await say("/subscribe 巴中", inGroup())).toMatch(/已订阅四川巴中/);
    expect((await deps.subscriptions.all()).map((s) => chatKey(s.chat))).toEqual([
      "telegram:g:-100",
      "telegram:g:-100",
    ]);
    const open = setup({ adminsOnly: false });
    expect(await open.say("/subscribe 浙江", inGroup(false))).toMatch(/已订阅浙江/);
  });

  it("asks the platform lazily (Telegram getChatMember) only for a subscription command in a group", async () => {
    const { deps, say } = setup();
    let asked = 0;
    const ask = (answer: boolean | Error) => () => {
      asked += 1;
      return answer instanceof Error ? Promise.reject(answer) : Promise.resolve(answer);
    };
    expect(await say("/subscribe 浙江", { ...inGroup(), isSenderAdmin: ask(false) })).toMatch(/只有群管理员/);
    expect(await say("/subscribe 浙江", { ...inGroup(), isSenderAdmin: ask(true) })).toMatch(/已订阅浙江/);
    // The platform could not be asked: it does not tell us, so the setting cannot apply.
    expect(await say("/subscribe 巴中", { ...inGroup(), isSenderAdmin: ask(new Error("403")) })).toMatch(
      /已订阅/,
    );
    expect(asked).toBe(3);
    await say("公示几天", { ...inGroup(), isSenderAdmin: ask(true) });
    await say("/subscriptions", { ...inGroup(), isSenderAdmin: ask(true) });
    expect(asked).toBe(3);
    expect(await deps.subscriptions.all()).toHaveLength(2);
  });

  it("reads DingTalk's isAdmin from the robot callback", () => {
    const base = {
      msgId: "m1",
      msgtype: "text",
      text: { content: " /subscribe 浙江" },
      conversationType: "2",
      conversationId: "cid1",
      senderId: "s1",
      senderStaffId: "staff1",
      sessionWebhook: "https://example.org/hook",
      sessionWebhookExpiredTime: 1,
    };
    expect(decodeRobotMessage(JSON.stringify({ ...base, isAdmin: false }))?.msg.senderIsAdmin).toBe(false);
    expect(decodeRobotMessage(JSON.stringify({ ...base, isAdmin: true }))?.msg.senderIsAdmin).toBe(true);
    expect(decodeRobotMessage(JSON.stringify(base))?.msg.senderIsAdmin).toBeUndefined();
  });

  it("answers the web, the terminal and a WeChat Official Account with the iCalendar link", async () => {
    const { deps, say } = setup();
    expect(await say("/subscribe 巴中 工程师", { channel: "web", conversation: undefined })).toMatch(
      /不能主动给您发消息.*\/api\/deadlines\?region=sichuan-bazhong&level=engineer&format=ics/,
    );
    expect(await say("/subscribe 浙江", { channel: "wechat" })).toMatch(/format=ics/);
    expect(await deps.subscriptions.all()).toEqual([]);
  });

  it("/forget in a 1:1 chat deletes the chat's subscriptions and sent records after the dialog forgot", async () => {
    const { deps, say } = setup();
    await say("/subscribe 浙江");
    await say("/subscribe 巴中", { user: "u2", conversation: { kind: "direct", userId: "u2" } });
    await deps.sent.record("telegram:d:u1", "zhejiang-ai-senior-2024/individual-online", [14]);
    seen.length = 0;
    expect(await say("/forget")).toBe("dialog: /forget\n已同时删除这里的 1 个截止提醒订阅。");
    expect(seen).toHaveLength(1);
    expect((await deps.subscriptions.all()).map((s) => s.chat.id)).toEqual(["u2"]);
    expect(await deps.sent.all()).toEqual([]);
  });

  it("answers busy and changes nothing when the store fails", async () => {
    const failing: SubscriptionStore = {
      add: () => Promise.reject(new Error("down")),
      remove: () => Promise.reject(new Error("down")),
      list: () => Promise.reject(new Error("down")),
      all: () => Promise.reject(new Error("down")),
    };
    const { say } = setup({ subscriptions: failing });
    expect(await say("/subscribe 浙江")).toMatch(/服务繁忙/);
  });
});

describe("the Redis subscription store and sent log", () => {
  const redis = new Redis("redis://127.0.0.1:6379", { lazyConnect: false });
  const prefix = `zc-test:{zc-reminders-${process.pid}-${Date.now()}}:`;
  afterAll(async () => {
    const keys = await redis.keys(`${prefix}*`);
    if (keys.length > 0) await redis.del(...keys);
    redis.disconnect();
  });

  it("keeps subscriptions per chat, with odd ids, across instances", async () => {
    const a = new RedisSubscriptionStore(redis, prefix);
    const b = new RedisSubscriptionStore(redis, prefix);
    const odd = { channel: "dingtalk", kind: "group", id: "cid|x*y:z=" } as const;
    expect(await a.add({ chat: odd, region: "zhejiang", level: "senior" })).toBe(true);
    expect(await b.add({ chat: odd, region: "zhejiang", level: "senior" })).toBe(false);
    await a.add({ chat: { channel: "dingtalk", kind: "group", id: "cid" }, region: "beijing" });
    expect(await b.list(odd)).toEqual([{ chat: odd, region: "zhejiang", level: "senior" }]);
    expect(await b.all()).toHaveLength(2);
    expect(await b.remove(odd, "zhejiang")).toHaveLength(1);
    expect(await a.list(odd)).toEqual([]);
  });

  it("claims a message once until the lease lapses, and records offsets", async () => {
    const log = new RedisSentLog(redis, prefix);
    expect(await log.claim("c", "d/x", 200)).toBe(true);
    expect(await log.claim("c", "d/x", 200)).toBe(false);
    await new Promise((r) => setTimeout(r, 250));
    expect(await log.claim("c", "d/x", 200)).toBe(true);
    await log.record("c", "d/x", [1, 0]);
    expect(await log.anySent("c", "d/x", [0])).toBe(true);
    expect(await log.anySent("c", "d/x", [3])).toBe(false);
    expect((await log.all()).sort((p, q) => p.offset - q.offset)).toEqual([
      { chat: "c", deadlineId: "d/x", offset: 0 },
      { chat: "c", deadlineId: "d/x", offset: 1 },
    ]);
    await log.forgetChat("c");
    expect(await log.all()).toEqual([]);
  });
});
