// The client's own behaviour on a real Redis (commands issued together leave in one system call, and each still
// gets its own reply), and which Redis topology the settings select. The topologies themselves (Sentinel, Cluster)
// are exercised in test/faults/redis-{sentinel,cluster}*.test.ts.
import type { Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import type { Redis } from "ioredis";
import { loadConfig } from "../../src/config.ts";
import { createRedisClient } from "../../src/sessions/create-redis-client.ts";
import { chooseRedisTopology } from "../../src/sessions/redis-topology.ts";
import { TEST_REDIS_URL, uniquePrefix } from "./support/redis-test-prefix.ts";

let redis: Redis | undefined;
afterEach(async () => {
  await redis?.quit();
  redis = undefined;
});

describe("createRedisClient", () => {
  it("sends the commands of one event-loop callback in one write, each answered in order", async () => {
    redis = createRedisClient(TEST_REDIS_URL);
    // No offline queue: nothing may be sent before the connection is ready.
    await new Promise((resolve) => redis!.once("ready", resolve));
    const socket = (redis as unknown as { stream: Socket }).stream;
    const writev = socket._writev?.bind(socket);
    if (!writev) throw new Error("a net.Socket writes batches with _writev");
    const writes: number[] = [];
    socket._writev = (chunks, callback) => {
      writes.push(chunks.length);
      writev(chunks, callback);
    };
    const prefix = uniquePrefix("coalesce");
    const keys = Array.from({ length: 20 }, (_, i) => `${prefix}${i}`);
    const replies = await Promise.all(keys.map((key, i) => redis!.set(key, String(i), "EX", 60, "GET")));
    expect(replies).toEqual(keys.map(() => null));
    expect(writes).toEqual([20]);
    await expect(redis.mget(...keys)).resolves.toEqual(keys.map((_, i) => String(i)));
    await redis.del(...keys);
  });
});

describe("the Redis topology the settings select", () => {
  const settings = (env: Record<string, string>) => {
    const config = loadConfig(env);
    return chooseRedisTopology({
      redisUrl: config.REDIS_URL,
      redisSentinels: config.REDIS_SENTINELS,
      redisSentinelName: config.REDIS_SENTINEL_NAME,
      redisClusterNodes: config.REDIS_CLUSTER_NODES,
    });
  };
  const url = "redis://10.0.0.1:6379";
  const sentinels = { REDIS_SENTINELS: "10.0.0.2:26379, 10.0.0.3:26379", REDIS_SENTINEL_NAME: "mymaster" };
  const cluster = { REDIS_CLUSTER_NODES: "10.0.1.1:7000,[fd00::1]:7001" };

  it("is none (the in-memory store) when nothing is set, and the one server of REDIS_URL", () => {
    expect(settings({})).toBeUndefined();
    expect(settings({ REDIS_URL: url })).toEqual({ kind: "single", url });
  });

  it("prefers the Cluster to the Sentinels, and the Sentinels to REDIS_URL", () => {
    const nodes = [
      { host: "10.0.1.1", port: 7000 },
      { host: "fd00::1", port: 7001 },
    ];
    expect(settings({ REDIS_URL: url, ...sentinels, ...cluster })).toEqual({ kind: "cluster", nodes });
    expect(settings({ REDIS_URL: url, ...sentinels })).toEqual({
      kind: "sentinel",
      name: "mymaster",
      sentinels: [
        { host: "10.0.0.2", port: 26379 },
        { host: "10.0.0.3", port: 26379 },
      ],
    });
  });

  it("refuses Sentinels without the master's name, and a name without Sentinels, in Chinese", () => {
    expect(() => loadConfig({ REDIS_SENTINELS: "10.0.0.2:26379" })).toThrow(
      /^配置错误：REDIS_SENTINEL_NAME: 设置了 REDIS_SENTINELS，还须设置 REDIS_SENTINEL_NAME/,
    );
    expect(() => loadConfig({ REDIS_SENTINEL_NAME: "mymaster" })).toThrow(
      /^配置错误：REDIS_SENTINELS: 设置了 REDIS_SENTINEL_NAME，还须设置 REDIS_SENTINELS/,
    );
    // Code that builds the settings itself is held to the same rule.
    expect(() => chooseRedisTopology({ redisSentinels: [{ host: "10.0.0.2", port: 26379 }] })).toThrow(
      /master they monitor/,
    );
  });

  it("refuses an address that is not host:port, naming the setting and the address", () => {
    expect(() => loadConfig({ REDIS_CLUSTER_NODES: "10.0.1.1:7000,10.0.1.2" })).toThrow(
      /^配置错误：REDIS_CLUSTER_NODES: .*“10\.0\.1\.2” 不是 host:port/,
    );
    expect(() => loadConfig({ ...sentinels, REDIS_SENTINELS: "10.0.0.2:99999" })).toThrow(
      /^配置错误：REDIS_SENTINELS: .*“10\.0\.0\.2:99999”/,
    );
  });
});
