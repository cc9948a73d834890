// The WeCom app channel: the contract every channel passes, then what only WeCom has (the sealed URL check, the
// corp id and agent id, markdown through message/send), and serve's wiring of both WeChat and WeCom.
import { Redis } from "ioredis";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { chatTurn } from "../../src/app/chat-turn.ts";
import { createChannelPrimitives } from "../../src/app/channel-primitives.ts";
import { withGroupPolicy } from "../../src/app/group-policy.ts";
import { startChannels } from "../../src/bots/start-channels.ts";
import { createHttpServer, httpSettings } from "../../src/http/http-server.ts";
import { loadConfig } from "../../src/config.ts";
import { createChat, createServices } from "../../src/main.ts";
import { wireServer } from "../../src/serve-wiring.ts";
import type { InboundMessage } from "../../src/shared/chat.ts";
import { systemClock } from "../../src/shared/clock.ts";
import { FakeWeixin, newAesKey } from "../fakes/fake-weixin.ts";
import { deleteKeysUnder, TEST_REDIS_URL, uniquePrefix } from "../sessions/support/redis-test-prefix.ts";
import { channelContract } from "./channel-contract.ts";
import { channelEnv, memoryLogger, sharedServices, TEST_CLOCK } from "./support/channel-env.ts";
import { weixinConfig, weixinTuning, wecomHarness, WeixinUnderTest } from "./support/weixin-harness.ts";

channelContract(wecomHarness);

const prefixes: string[] = [];
const fresh = (label: string) => {
  const p = uniquePrefix(`wecom-${label}`);
  prefixes.push(p);
  return p;
};

afterAll(async () => {
  const admin = new Redis(TEST_REDIS_URL);
  for (const p of prefixes) await deleteKeysUnder(admin, p);
  admin.disconnect();
});

describe("wecom: callbacks and message/send", () => {
  let ch: WeixinUnderTest | undefined;
  afterEach(async () => {
    await ch?.stop();
    ch = undefined;
  });

  it("answers the URL check with the sealed echostr's plaintext; forged or another corp's: 403", async () => {
    ch = await WeixinUnderTest.start("wecom", { redisUrl: TEST_REDIS_URL, prefix: fresh("get") });
    const good = await ch.fake.urlCheck();
    expect(good).toMatchObject({ status: 200, body: good.echo });
    expect((await ch.fake.urlCheck({ signature: true })).status).toBe(403);
    expect((await ch.fake.urlCheck({ id: "ww_other_corp" })).status).toBe(403);
  });

  it("answers empty at once, replies in markdown through message/send with the agent id; refuses other corps", async () => {
    const seen: InboundMessage[] = [];
    ch = await WeixinUnderTest.start(
      "wecom",
      { redisUrl: TEST_REDIS_URL, prefix: fresh("send") },
      {
        prepare: (env) => {
          const turn = env.deps.turn;
          env.deps.turn = (m) => {
            seen.push(m);
            return turn(m);
          };
        },
      },
    );
    const answer = await ch.fake.post(ch.fake.textMessage("zhangsan", "公示几天？"));
    expect(answer).toMatchObject({ status: 200, raw: "" });
    await ch.settled("zhangsan", 0, false);
    const [m] = ch.fake.receivedBy("zhangsan");
    expect(m?.msgtype).toBe("markdown");
    expect(m?.body).toMatchObject({ touser: "zhangsan", agentid: ch.fake.o.agentId });
    expect(m?.content).toMatch(/公示/);
    expect(seen).toHaveLength(1);

    expect(
      (await ch.fake.post(ch.fake.textMessage("zhangsan", "/help"), { id: "ww_other_corp" })).status,
    ).toBe(403);
    expect((await ch.fake.post(ch.fake.textMessage("zhangsan", "/help"), { signature: true })).status).toBe(
      403,
    );
    // Another app of the corp (its AgentID): not ours, ignored.
    const other = { ...ch.fake.textMessage("zhangsan", "/help"), AgentID: 1000099 };
    expect((await ch.fake.post(other)).status).toBe(200);
    await new Promise((r) => setTimeout(r, 300));
    expect(seen).toHaveLength(1);
    expect(ch.fake.receivedBy("zhangsan")).toHaveLength(1);
  });

  it("sends a proactive message to a member; a refusal is reported", async () => {
    ch = await WeixinUnderTest.start("wecom", { redisUrl: TEST_REDIS_URL, prefix: fresh("proactive") });
    await ch.channels.send("wecom", { kind: "direct", userId: "lisi" }, [{ text: "提醒：申报截止" }]);
    expect(ch.fake.receivedBy("lisi").map((m) => m.content)).toEqual(["提醒：申报截止"]);
    ch.fake.failSends({ errcode: 81013, errmsg: "user & party & tag all invalid" });
    await expect(
      ch.channels.send("wecom", { kind: "direct", userId: "nobody" }, [{ text: "x" }]),
    ).rejects.toThrow(/81013/);
  });
});

describe("wechat and wecom side by side", () => {
  it("keeps WeCom running when WeChat's secret is refused, and says why in both languages", async () => {
    const wechat = await FakeWeixin.start({ kind: "wechat", token: "t1", id: "wxapp1", aesKey: newAesKey() });
    const wecom = await FakeWeixin.start({
      kind: "wecom",
      token: "t2",
      id: "wwcorp1",
      aesKey: newAesKey(),
      agentId: 7,
    });
    const env = await channelEnv({ redisUrl: TEST_REDIS_URL, prefix: fresh("both") });
    const channels = await startChannels(
      { ...weixinConfig(wechat), WECHAT_APP_SECRET: "wrong-secret", ...weixinConfig(wecom) },
      env.deps,
      weixinTuning(),
    );
    try {
      const byName = Object.fromEntries(channels.statuses().map((s) => [s.name, s]));
      expect(byName.wechat).toMatchObject({
        state: "down",
        reason: expect.stringMatching(/40125/) as unknown,
      });
      expect(byName.wecom).toMatchObject({ state: "up" });
      const log = env.deps.log.lines.join("\n");
      expect(log).toMatch(
        /渠道 wechat 启动失败，其他渠道照常运行：.*40125.* \/ channel wechat failed to start/,
      );
      expect(log).not.toContain("wrong-secret");
      expect(channels.webhooks.map((w) => `${w.method} ${w.path}`)).toEqual([
        "GET /wechat",
        "POST /wechat",
        "GET /wecom",
        "POST /wecom",
      ]);
    } finally {
      await channels.stop();
      await env.close();
      await wechat.close();
      await wecom.close();
    }
  });

  it("is wired by serve: /healthz lists both, /wechat and /wecom answer on the HTTP port", async () => {
    const prefix = fresh("wired");
    const wechat = await FakeWeixin.start({ kind: "wechat", token: "t1", id: "wxapp2", aesKey: newAesKey() });
    const wecom = await FakeWeixin.start({
      kind: "wecom",
      token: "t2",
      id: "wwcorp2",
      aesKey: newAesKey(),
      agentId: 8,
    });
    const env = Object.fromEntries(
      Object.entries({ ...weixinConfig(wechat), ...weixinConfig(wecom) }).map(([k, v]) => [k, String(v)]),
    );
    const config = loadConfig({
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      LOG_LEVEL: "silent",
      ...env,
    });
    const wired = await wireServer(config, await createServices(config, systemClock));
    try {
      const { port } = await wired.http.listen(0, "127.0.0.1");
      const base = `http://127.0.0.1:${port}`;
      const health = (await (await fetch(`${base}/healthz`)).json()) as {
        channels: Array<{ name: string; state: string }>;
      };
      expect(health.channels.map((c) => [c.name, c.state])).toEqual([
        ["wechat", "up"],
        ["wecom", "up"],
      ]);
      wechat.callbackUrl = `${base}/wechat`;
      wecom.callbackUrl = `${base}/wecom`;
      expect((await wechat.urlCheck()).status).toBe(200);
      expect((await wecom.urlCheck()).status).toBe(200);
      expect((await wechat.post(wechat.textMessage("o1", "/help"))).passive).toContain("可用命令");
      expect((await wecom.post(wecom.textMessage("m1", "/help"))).status).toBe(200);
      const deadline = Date.now() + 10_000;
      while (wecom.receivedBy("m1").length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      expect(wecom.receivedBy("m1")[0]?.content).toContain("可用命令");
    } finally {
      await wired.http.shutdown(1_000);
      await wired.close();
      await wechat.close();
      await wecom.close();
    }
  });
});

describe("wechat and wecom without Redis (one process)", () => {
  it("answer on the in-memory inbox, delivery marks and choices", async () => {
    const wechat = await FakeWeixin.start({ kind: "wechat", token: "t1", id: "wxapp3" });
    const wecom = await FakeWeixin.start({
      kind: "wecom",
      token: "t2",
      id: "wwcorp3",
      aesKey: newAesKey(),
      agentId: 9,
    });
    const services = await sharedServices();
    const chat = await createChat({ ...services, config: loadConfig({}) });
    const primitives = createChannelPrimitives({ prefix: "zc:", clock: systemClock });
    const channels = await startChannels(
      { ...weixinConfig(wechat), ...weixinConfig(wecom) },
      {
        turn: withGroupPolicy((m) => chatTurn(m, chat), TEST_CLOCK),
        log: memoryLogger(),
        clock: systemClock,
        ...primitives,
      },
      weixinTuning(),
    );
    const http = createHttpServer(
      { services, webhooks: channels.webhooks },
      httpSettings(loadConfig({}), { requestLogging: false }),
    );
    try {
      const { port } = await http.listen(0, "127.0.0.1");
      wechat.callbackUrl = `http://127.0.0.1:${port}/wechat`;
      wecom.callbackUrl = `http://127.0.0.1:${port}/wecom`;
      const asked = await wechat.post(wechat.textMessage("o-mem", "能评职称吗"));
      const first = /^1\. (.+)$/m.exec(asked.passive ?? "")?.[1];
      expect(first).toBeTruthy();
      const chosen = await wechat.post(wechat.textMessage("o-mem", "1"));
      expect(chosen.passive).toContain(`地区 ${first}`);
      await wecom.post(wecom.textMessage("m-mem", "/help"));
      const deadline = Date.now() + 10_000;
      while (wecom.receivedBy("m-mem").length === 0 && Date.now() < deadline)
        await new Promise((r) => setTimeout(r, 20));
      expect(wecom.receivedBy("m-mem")[0]?.content).toContain("可用命令");
    } finally {
      await http.shutdown(1_000);
      await channels.stop();
      await primitives.close();
      await chat.store.close();
      await wechat.close();
      await wecom.close();
    }
  });
});
