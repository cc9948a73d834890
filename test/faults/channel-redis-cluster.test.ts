// The channels' Redis parts on a local 3-master Redis Cluster (REDIS_CLUSTER_NODES), as on one server: the poller
// lease, delivery marks, and the DingTalk inbox (its keys share a hash tag, so its scripts and MULTI stay in one
// slot); and a DingTalk message answered end to end with sessions and inbox on the cluster.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatTurn } from "../../src/app/chat-turn.ts";
import { createChannelPrimitives, type ChannelPrimitives } from "../../src/app/channel-primitives.ts";
import { withGroupPolicy } from "../../src/app/group-policy.ts";
import { startChannels } from "../../src/bots/start-channels.ts";
import { loadConfig } from "../../src/config.ts";
import { createChat } from "../../src/main.ts";
import { systemClock } from "../../src/shared/clock.ts";
import { memoryLogger, sharedServices, TEST_CLOCK } from "../bots/support/channel-env.ts";
import { DINGTALK_TUNING, dingtalkConfig } from "../bots/support/dingtalk-harness.ts";
import { FakeDingTalk } from "../fakes/fake-dingtalk.ts";
import { uniquePrefix } from "../sessions/support/redis-test-prefix.ts";
import type { LocalRedisCluster } from "../support/redis-topologies.ts";
import { startRedisCluster } from "../support/redis-topologies.ts";

let cluster: LocalRedisCluster;
let parts: ChannelPrimitives;

beforeAll(async () => {
  cluster = await startRedisCluster();
  parts = createChannelPrimitives({
    redisClusterNodes: cluster.nodes,
    prefix: uniquePrefix("channel-cluster"),
    clock: systemClock,
  });
  await parts.ready(10_000);
});

afterAll(async () => {
  await parts?.close();
  await cluster?.stop();
});

describe("channel primitives on a Redis Cluster", () => {
  it("holds one lease per name, and remembers deliveries", async () => {
    for (const name of ["telegram:poller:a", "telegram:poller:b", "telegram:poller:c"]) {
      expect(await parts.lock.hold(name, "one", 5_000)).toBe(true);
      expect(await parts.lock.hold(name, "two", 5_000)).toBe(false);
      await parts.lock.release(name, "one");
      expect(await parts.lock.hold(name, "two", 5_000)).toBe(true);
    }
    await parts.deliveries.markDelivered("dingtalk:m1");
    expect(await parts.deliveries.wasDelivered("dingtalk:m1")).toBe(true);
    expect(await parts.deliveries.wasDelivered("dingtalk:m2")).toBe(false);
  });

  it("records, hands out, reclaims and removes inbox entries of inboxes on different masters", async () => {
    for (const name of ["dingtalk", "wechat", "wecom"]) {
      const inbox = parts.inbox(name);
      expect(await inbox.record(`${name}-1`, "body")).toBe(true);
      expect(await inbox.record(`${name}-1`, "again")).toBe(false);
      const [entry] = await inbox.take("a", 10, 100);
      expect(entry?.body).toBe("body");
      await new Promise((r) => setTimeout(r, 60));
      const [reclaimed] = await inbox.reclaim("b", 50, 10);
      expect(reclaimed?.id).toBe(entry?.id);
      await inbox.ack(reclaimed?.id ?? "");
      expect(await inbox.reclaim("c", 0, 10)).toEqual([]);
      expect(await inbox.take("a", 10, 50)).toEqual([]);
    }
  });

  it("answers a DingTalk message with sessions and inbox on the cluster", async () => {
    const prefix = uniquePrefix("channel-cluster-dt");
    const base = await sharedServices();
    const services = {
      ...base,
      config: loadConfig({ REDIS_CLUSTER_NODES: cluster.nodesSetting, REDIS_PREFIX: prefix }),
    };
    const chat = await createChat(services);
    const primitives = createChannelPrimitives({
      redisClusterNodes: cluster.nodes,
      prefix,
      clock: systemClock,
    });
    await primitives.ready(10_000);
    const fake = await FakeDingTalk.start();
    const channels = await startChannels(
      dingtalkConfig(fake),
      {
        turn: withGroupPolicy((m) => chatTurn(m, chat), TEST_CLOCK),
        log: memoryLogger(),
        clock: systemClock,
        ...primitives,
      },
      DINGTALK_TUNING,
    );
    try {
      const pushed = fake.push({ staffId: "cluster-user" }, { kind: "direct" }, "公示几天？");
      await fake.until(() => fake.repliesTo(pushed).length > 0, 15_000, "the answer");
      expect(fake.repliesTo(pushed)[0]?.text).toMatch(/公示/);
      fake.send(pushed);
      await fake.until(() => fake.acks.filter((a) => a.messageId === pushed.streamMessageId).length === 2);
      await new Promise((r) => setTimeout(r, 500));
      expect(fake.repliesTo(pushed)).toHaveLength(1);
    } finally {
      await channels.stop();
      await primitives.close();
      await chat.store.close();
      await fake.close();
    }
  });
});
