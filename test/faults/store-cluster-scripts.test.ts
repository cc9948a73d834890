// The session scripts on a local 3-master Redis Cluster: loaded on every node when the client becomes ready and
// again when a node's connection comes back, and each script (forget's deletion of a user's message records
// included) runs within its user's slot.
import { Redis } from "ioredis";
import type { Cluster } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createRedisClient } from "../../src/sessions/create-redis-client.ts";
import { RedisSessionStore } from "../../src/sessions/redis-session-store.ts";
import { SESSION_SCRIPTS } from "../../src/sessions/session-scripts.ts";
import type { LocalRedisCluster } from "../support/redis-topologies.ts";
import { startRedisCluster } from "../support/redis-topologies.ts";

interface Counter {
  count: number;
}

const PREFIX = "zc-cluster-scripts:";
const SHAS = SESSION_SCRIPTS.map((script) => script.sha);
let cluster: LocalRedisCluster;
let client: Cluster;
let store: RedisSessionStore<Counter>;

beforeAll(async () => {
  cluster = await startRedisCluster();
  client = createRedisClient({ kind: "cluster", nodes: cluster.nodes }) as Cluster;
  store = new RedisSessionStore<Counter>({
    redis: client,
    prefix: PREFIX,
    ownsClient: true,
    version: 1,
    migrate: () => undefined,
    ttlSeconds: 3600,
    rateLimitPerMinute: 100,
  });
});
afterAll(async () => {
  await store?.close();
  await cluster?.stop();
});

/** Asks every master node directly. */
function onEveryNode<T>(ask: (redis: Redis) => Promise<T>): Promise<T[]> {
  return Promise.all(
    cluster.nodes.map(async ({ host, port }) => {
      const redis = new Redis({ host, port });
      try {
        return await ask(redis);
      } finally {
        redis.disconnect();
      }
    }),
  );
}

/** Polls until every node holds every script (loading is asynchronous to the events that trigger it). */
async function untilLoadedEverywhere(): Promise<number[][]> {
  let loaded: number[][] = [];
  for (let attempt = 0; attempt < 50; attempt++) {
    loaded = (await onEveryNode((redis) => redis.script("EXISTS", ...SHAS))) as number[][];
    if (loaded.every((node) => node.every((exists) => exists === 1))) break;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return loaded;
}

const counting = (id: string) => (state: Counter | undefined) =>
  Promise.resolve({ state: { count: (state?.count ?? 0) + 1 }, result: id });

describe("session scripts on a Redis Cluster", () => {
  it("are loaded on every master once the client is ready", async () => {
    await store.ping();
    expect(await untilLoadedEverywhere()).toEqual(cluster.nodes.map(() => SHAS.map(() => 1)));
  });

  it("run each within its user's slot, /forget's deletion of the user's message records included", async () => {
    const users = Array.from({ length: 30 }, (_, i) => `user-${i}`);
    for (const user of users) {
      expect(await store.withMessage(user, "m1", counting("m1"))).toEqual({
        status: "answered",
        result: "m1",
      });
      expect(await store.withMessage(user, "m1", counting("m1"))).toEqual({
        status: "duplicate",
        result: "m1",
      });
      const forgot = await store.withMessage(user, "f1", () =>
        Promise.resolve({ state: "forget", result: "bye" }),
      );
      expect(forgot).toEqual({ status: "answered", result: "bye" });
      // m1's record went with the forget: its resend runs again; the forget message's own record stays.
      expect(await store.withMessage(user, "m1", counting("m1"))).toEqual({
        status: "answered",
        result: "m1",
      });
      expect(await store.withMessage(user, "f1", counting("f1"))).toEqual({
        status: "duplicate",
        result: "bye",
      });
      await store.forget(user);
    }
    const left = await onEveryNode((redis) => redis.keys(`${PREFIX}*`));
    expect(left.flat()).toEqual([]);
  });

  it("are loaded again on a node whose connection comes back (as after that node restarted)", async () => {
    await onEveryNode((redis) => redis.script("FLUSH"));
    await onEveryNode((redis) => redis.call("CLIENT", "KILL", "TYPE", "normal", "SKIPME", "yes"));
    expect(await untilLoadedEverywhere()).toEqual(cluster.nodes.map(() => SHAS.map(() => 1)));
    expect(await store.withMessage("after", "m1", counting("m1"))).toEqual({
      status: "answered",
      result: "m1",
    });
  });
});
