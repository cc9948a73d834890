// The DingTalk channel (Stream mode): the contract every channel passes, then what only DingTalk has (record
// before acknowledging, reconnect backoff, SYSTEM frames, late answers through the robot API, proactive sends).
import { Redis } from "ioredis";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import type { DurableInbox } from "../../src/app/durable-inbox.ts";
import { DingTalkAdapter } from "../../src/bots/dingtalk/adapter.ts";
import { decodeRobotMessage } from "../../src/bots/dingtalk/decode.ts";
import { encodeReplies } from "../../src/bots/dingtalk/encode.ts";
import { startChannels } from "../../src/bots/start-channels.ts";
import { FakeDingTalk, TOPIC_ROBOT } from "../fakes/fake-dingtalk.ts";
import { deleteKeysUnder, TEST_REDIS_URL, uniquePrefix } from "../sessions/support/redis-test-prefix.ts";
import { channelContract } from "./channel-contract.ts";
import { channelEnv } from "./support/channel-env.ts";
import {
  DINGTALK_TUNING,
  dingtalkConfig,
  dingtalkHarness,
  DingTalkUnderTest,
  inboxStream,
  readReply,
} from "./support/dingtalk-harness.ts";

channelContract(dingtalkHarness);

const prefixes: string[] = [];
const fresh = (label: string) => {
  const p = uniquePrefix(`dingtalk-${label}`);
  prefixes.push(p);
  return p;
};

afterAll(async () => {
  const admin = new Redis(TEST_REDIS_URL);
  for (const p of prefixes) await deleteKeysUnder(admin, p);
  admin.disconnect();
});

describe("dingtalk: reading and writing messages", () => {
  it("reads a group message: the sender apart from the group, the leading space trimmed, addressed", () => {
    const data = JSON.stringify({
      msgId: "m1",
      msgtype: "text",
      conversationType: "2",
      conversationId: "cid1",
      senderId: "$:LWCP_v1:$x",
      senderStaffId: "staff1",
      text: { content: " 公示几天？" },
      isInAtList: true,
      sessionWebhook: "https://oapi.dingtalk.com/robot/sendBySession?session=s",
      sessionWebhookExpiredTime: 1,
    });
    const inbound = decodeRobotMessage(data);
    expect(inbound?.msg).toMatchObject({
      channel: "dingtalk",
      text: "公示几天？",
      messageId: "m1",
      addressed: true,
      conversation: { kind: "group", groupId: "cid1", userId: "staff1" },
    });
    expect(inbound?.route).toMatchObject({ atUserId: "staff1", groupId: "cid1", expiresAt: 1 });
    expect(decodeRobotMessage("{}")).toBeUndefined();
    expect(decodeRobotMessage("not json")).toBeUndefined();
  });

  it("writes markdown with hard line breaks, choices as a line, and the sender @-mentioned in a group", () => {
    const [m] = encodeReplies([{ text: "第一行\n第二行", choices: ["是", "否"] }], "staff1");
    expect(m?.markdown.text).toBe("@staff1 第一行  \n第二行  \n可回复：是 / 否");
    expect(m?.at).toEqual({ atUserIds: ["staff1"] });
    expect(encodeReplies([{ text: "一" }])[0]?.at).toBeUndefined();
  });
});

describe("dingtalk: against the fake gateway", () => {
  let ch: DingTalkUnderTest | undefined;
  afterEach(async () => {
    await ch?.stop();
    ch = undefined;
  });

  it("records a callback in Redis before it acknowledges it", async () => {
    const prefix = fresh("order");
    const events: string[] = [];
    ch = await DingTalkUnderTest.start(
      { redisUrl: TEST_REDIS_URL, prefix },
      {
        prepare: (env) => {
          const inbox = env.deps.inbox;
          env.deps.inbox = (name): DurableInbox => {
            const real = inbox(name);
            return {
              record: async (key, body) => {
                const fresh = await real.record(key, body);
                events.push("recorded");
                return fresh;
              },
              take: (...a) => real.take(...a),
              reclaim: (...a) => real.reclaim(...a),
              ack: (id) => real.ack(id),
              close: () => real.close(),
            };
          };
        },
      },
    );
    ch.fake.onAck = () => events.push("acked");
    await ch.say({ user: "order" }, "公示几天？");
    expect(events).toEqual(["recorded", "acked"]);
  });

  it("answers a group message in the group, @-mentioning its sender", async () => {
    ch = await DingTalkUnderTest.start({ redisUrl: TEST_REDIS_URL, prefix: fresh("group") });
    const pushed = ch.fake.push(
      { staffId: "wang" },
      { kind: "group", conversationId: "cid-hr" },
      "公示几天？",
    );
    await ch.settled(pushed);
    const [first] = ch.fake.repliesTo(pushed);
    expect(first?.body.at).toEqual({ atUserIds: ["wang"] });
    expect(first?.text.startsWith("@wang ")).toBe(true);
    expect(first && readReply(first, "wang").addressesSender).toBe(true);
  });

  it("answers through the robot API once the session webhook has expired", async () => {
    ch = await DingTalkUnderTest.start({ redisUrl: TEST_REDIS_URL, prefix: fresh("expired") });
    const direct = ch.fake.push({ staffId: "late" }, { kind: "direct" }, "/help", { expiresInMs: 1_000 });
    const group = ch.fake.push({ staffId: "late" }, { kind: "group", conversationId: "cid-g" }, "/help", {
      expiresInMs: 1_000,
    });
    await ch.settled(direct);
    await ch.settled(group);
    const viaApi = ch.fake.received.filter((r) => r.via !== "session");
    expect(viaApi.map((r) => [r.via, r.to])).toEqual(
      expect.arrayContaining([
        ["oToMessages", JSON.stringify(["late"])],
        ["groupMessages", "cid-g"],
      ]),
    );
    expect(viaApi.every((r) => r.text.includes("可用命令"))).toBe(true);
    expect(ch.fake.repliesTo(direct)).toEqual([]);
  });

  it("sends proactive messages (reminders) to a person or a group through the robot API", async () => {
    ch = await DingTalkUnderTest.start({ redisUrl: TEST_REDIS_URL, prefix: fresh("proactive") });
    await ch.channels.send("dingtalk", { kind: "direct", userId: "zhang" }, [{ text: "提醒：申报截止" }]);
    await ch.channels.send("dingtalk", { kind: "group", groupId: "cid-hr" }, [{ text: "提醒：群通知" }]);
    expect(ch.fake.received.map((r) => [r.via, r.to, r.text])).toEqual([
      ["oToMessages", JSON.stringify(["zhang"]), "提醒：申报截止"],
      ["groupMessages", "cid-hr", "提醒：群通知"],
    ]);
    await expect(
      ch.channels.send("wechat", { kind: "direct", userId: "x" }, [{ text: "x" }]),
    ).rejects.toThrow(/not running/);
  });

  it("answers the gateway's ping and reconnects once after a disconnect, with a fresh ticket", async () => {
    ch = await DingTalkUnderTest.start({ redisUrl: TEST_REDIS_URL, prefix: fresh("system") });
    const opaque = ch.fake.ping();
    await ch.fake.until(
      () => ch?.fake.pingEchoes.some((d) => d.includes(opaque)) === true,
      5_000,
      "ping echo",
    );
    const opens = ch.fake.opens.length;
    ch.fake.disconnectAll();
    await ch.fake.until(
      () => ch?.fake.connections === 1 && ch.fake.opens.length > opens,
      10_000,
      "reconnect",
    );
    // One reconnect, not two (the SDK would schedule one from the error and one from the close).
    await new Promise((r) => setTimeout(r, 1_500));
    expect(ch.fake.opens.length).toBe(opens + 1);
    expect(ch.fake.connections).toBe(1);
    expect(ch.channels.statuses()[0]).toMatchObject({ state: "up" });
    expect((await ch.say({ user: "after-reconnect" }, "/help"))[0]?.text).toContain("可用命令");
  });

  it("backs off while the gateway refuses, one attempt at a time, and comes up when it answers", async () => {
    const fake = await FakeDingTalk.start();
    const env = await channelEnv({ redisUrl: TEST_REDIS_URL, prefix: fresh("backoff") });
    fake.failOpen(503, 503, 503, 503);
    const channels = await startChannels(dingtalkConfig(fake), env.deps, DINGTALK_TUNING);
    try {
      expect(channels.statuses()[0]).toMatchObject({ name: "dingtalk", state: "down" });
      expect(channels.statuses()[0]?.reason).toMatch(/503/);
      expect(env.deps.log.lines.join("\n")).toMatch(
        /渠道 dingtalk 启动失败.*channel dingtalk failed to start.*503/,
      );
      await fake.until(() => channels.statuses()[0]?.state === "up", 10_000, "dingtalk up");
      const gaps = fake.opens.slice(1).map((o, i) => o.at - (fake.opens[i]?.at ?? 0));
      expect(fake.opens.length).toBe(5);
      // base 100 ms, doubled, with jitter between half and all of it: 50+, 100+, 200+, 400+.
      gaps.forEach((gap, i) => expect(gap).toBeGreaterThanOrEqual(50 * 2 ** i - 5));
      expect(gaps[3]).toBeGreaterThan(gaps[0] ?? Infinity);
    } finally {
      await channels.stop();
      await env.close();
      await fake.close();
    }
  });

  it("makes one reconnect per failed socket (the SDK schedules a second one from the close), backing off", async () => {
    ch = await DingTalkUnderTest.start({ redisUrl: TEST_REDIS_URL, prefix: fresh("socket-errors") });
    const opens = ch.fake.opens.length;
    ch.fake.failUpgrades(3);
    ch.fake.disconnectAll();
    await ch.fake.until(
      () => ch?.fake.opens.length === opens + 4 && ch.channels.statuses()[0]?.state === "up",
      10_000,
      "reconnect",
    );
    // The SDK's own one-second timers from the failed sockets' closes find an attempt running, or a live one.
    await new Promise((r) => setTimeout(r, 1_500));
    expect(ch.fake.opens.length).toBe(opens + 4);
    expect(ch.fake.connections).toBe(1);
    expect((await ch.say({ user: "after-errors" }, "/help"))[0]?.text).toContain("可用命令");
  });

  it("runs one Stream client per process (the SDK shares its subscriptions between clients)", async () => {
    ch = await DingTalkUnderTest.start({ redisUrl: TEST_REDIS_URL, prefix: fresh("one") });
    const env = await channelEnv({ redisUrl: TEST_REDIS_URL, prefix: fresh("two") });
    const second = new DingTalkAdapter(
      { clientId: ch.fake.clientId, clientSecret: ch.fake.clientSecret, gatewayUrl: ch.fake.gatewayUrl },
      env.deps,
    );
    await expect(second.start()).rejects.toThrow(/one DingTalk Stream client per process/);
    await env.close();
  });

  it("acknowledges and drops a callback it cannot read, and keeps working", async () => {
    const prefix = fresh("unreadable");
    ch = await DingTalkUnderTest.start({ redisUrl: TEST_REDIS_URL, prefix });
    const frame = {
      specVersion: "1.0",
      type: "CALLBACK",
      headers: { contentType: "application/json", messageId: "broken-1", time: "0", topic: TOPIC_ROBOT },
      data: "{}",
    };
    ch.fake.send({ msgId: "", streamMessageId: "broken-1", session: "", frame: JSON.stringify(frame) });
    await ch.fake.until(() => ch?.fake.acks.some((a) => a.messageId === "broken-1") === true, 5_000, "ack");
    expect(ch.logs().join("\n")).toMatch(/without a readable msgId/);
    const admin = new Redis(TEST_REDIS_URL);
    expect(await admin.xlen(inboxStream(prefix))).toBe(0);
    admin.disconnect();
    expect((await ch.say({ user: "odd" }, "/help"))[0]?.text).toContain("可用命令");
  });
});
