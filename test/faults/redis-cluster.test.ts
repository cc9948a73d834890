// Sessions on a local 3-master Redis Cluster (REDIS_CLUSTER_NODES): users land on every master and every session
// script runs within its user's slot; the store contract's essentials and whole conversations hold across two
// clients; and the client keeps its fail-fast promises on a Cluster (a command whose connection drops is not sent
// again; while the whole cluster is down operations fail at once, and they succeed again when it returns; each node's
// connection batches the writes of one callback).
import type { Socket } from "node:net";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import type { Cluster } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatTurnDeps } from "../../src/app/chat-turn.ts";
import { createChat } from "../../src/main.ts";
import { createRedisClient } from "../../src/sessions/create-redis-client.ts";
import { createSessionStore } from "../../src/sessions/create-session-store.ts";
import { userKeys } from "../../src/sessions/session-keys.ts";
import type { SessionStore } from "../../src/sessions/session-store.ts";
import { StoreUnavailableError } from "../../src/sessions/session-store.ts";
import { APPLICANTS, converse, expectedVerdict, VERDICT_TEXT } from "../dialogs/support/applicants.ts";
import { speaker, systemChat, TEST_AS_OF } from "../system/support/system-chat.ts";
import type { Counter, LocalRedisCluster } from "../support/redis-topologies.ts";
import { deliver, expectStoreEssentials, increment, startRedisCluster } from "../support/redis-topologies.ts";

const PREFIX = "zc-cluster:";
/** One scripted applicant per region (as in test/system/transcripts-redis.test.ts). */
const ONE_PER_REGION = ["北京硕士AI工程师", "杭州国企高工", "巴中事业单位工程师"];
let cluster: LocalRedisCluster;
const opened: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  cluster = await startRedisCluster();
});
afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
  await cluster?.stop();
});

/** A store on the cluster, as `createSessionStore` builds it from REDIS_CLUSTER_NODES. */
function openStore(): SessionStore<Counter> {
  const store = createSessionStore<Counter>({
    redisClusterNodes: cluster.nodes,
    prefix: PREFIX,
    version: 1,
    migrate: () => undefined,
    ttlSeconds: 3600,
    rateLimitPerMinute: 3,
  });
  opened.push(store);
  return store;
}

/** A plain connection to one node, for looking at what the cluster holds. */
async function onNode<T>(port: number, ask: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis({ host: "127.0.0.1", port });
  try {
    return await ask(redis);
  } finally {
    redis.disconnect();
  }
}

describe("the session store on a 3-master Redis Cluster", () => {
  it("spreads users over every master, and each script runs within its user's slot (no CROSSSLOT)", async () => {
    const [a, b] = [openStore(), openStore()];
    const users = Array.from({ length: 30 }, (_, i) => `spread-${i}`);
    await Promise.all(
      users.map(async (user) => {
        // Admission (rate count, message record, lock, load) and commit; the redelivery reads the record.
        expect(await deliver(a, user, "m1")).toBe("answered");
        expect(await deliver(b, user, "m1")).toBe("duplicate");
        // A failing turn gives its lock, claim and rate count back; its redelivery runs.
        await expect(
          a.withMessage(user, "m2", () => Promise.reject(new Error("turn failed"))),
        ).rejects.toThrow("turn failed");
        expect(await deliver(b, user, "m2")).toBe("answered");
      }),
    );
    const owners = await Promise.all(users.map((user) => cluster.portOf(userKeys(PREFIX, user).state)));
    expect(new Set(owners)).toEqual(new Set(cluster.nodes.map(({ port }) => port)));
    // The one key outside every user's slot: the shared secret, the same for both clients.
    expect(await a.userIdSecret()).toBe(await b.userIdSecret());

    await Promise.all(users.map((user) => b.forget(user)));
    for (const { port } of cluster.nodes) {
      const [left, commands, errors] = await onNode(port, (redis) =>
        Promise.all([
          redis.keys(`${PREFIX}{u:spread-*`),
          redis.info("commandstats"),
          redis.info("errorstats"),
        ]),
      );
      // Forget (a script too) left nothing of these users on any master.
      expect(left).toEqual([]);
      // Every master ran the session scripts and refused none for naming keys of two slots (a script reaching a key
      // of another slot fails as it runs, and with it the turn above).
      expect(commands).toMatch(/cmdstat_evalsha:calls=[1-9]/);
      expect(errors).not.toMatch(/CROSSSLOT/);
    }
  });

  it("keeps the contract's essentials across two clients", async () => {
    await expectStoreEssentials(openStore(), openStore());
  });
});

describe("conversations through the composition root, on the cluster (REDIS_CLUSTER_NODES)", () => {
  const chats: ChatTurnDeps[] = [];
  afterAll(async () => {
    await Promise.all(chats.map((chat) => chat.store.close()));
  });

  it("reaches each applicant's verdict with turns alternating between two processes' chat deps", async () => {
    const { services, chat } = await systemChat({
      REDIS_CLUSTER_NODES: cluster.nodesSetting,
      REDIS_PREFIX: PREFIX,
    });
    const other = await createChat(services);
    chats.push(chat, other);
    await Promise.all(
      APPLICANTS.filter((a) => ONE_PER_REGION.includes(a.name)).map(async (applicant, i) => {
        const one = speaker(chat, "cluster", `applicant-${i}`);
        const two = speaker(other, "cluster", `applicant-${i}`);
        let turn = 0;
        const says = (text: string) => (turn++ % 2 === 0 ? one : two).says(text);
        const { last, transcript } = await converse(says, applicant, i + 1);
        expect(last, transcript.join("\n")).toContain(
          VERDICT_TEXT[expectedVerdict(services.assess, applicant, TEST_AS_OF)],
        );
      }),
    );
  });
});

describe("the Cluster client", () => {
  it("sends the commands of one event-loop callback to a node in one write, as a single server's client does", async () => {
    const client = createRedisClient({ kind: "cluster", nodes: cluster.nodes }) as Cluster;
    opened.push({ close: () => Promise.resolve(client.disconnect()) });
    await new Promise((resolve) => client.once("ready", resolve));
    const keys = Array.from({ length: 20 }, (_, i) => `${PREFIX}{coalesce}:${i}`);
    const port = await cluster.portOf(keys[0] ?? "");
    const node = client.nodes("master").find((n) => n.options.port === port);
    await node?.ping();
    const socket = (node as unknown as { stream: Socket }).stream;
    const writev = socket._writev?.bind(socket);
    if (!writev) throw new Error("a net.Socket writes batches with _writev");
    const writes: number[] = [];
    socket._writev = (chunks, callback) => {
      writes.push(chunks.length);
      writev(chunks, callback);
    };
    await expect(Promise.all(keys.map((key, i) => client.set(key, String(i), "EX", 60)))).resolves.toEqual(
      keys.map(() => "OK"),
    );
    expect(writes).toEqual([20]);
  });

  it("does not send a command again after its connection dropped (a counted write applies once)", async () => {
    const client = createRedisClient({ kind: "cluster", nodes: cluster.nodes }) as Cluster;
    opened.push({ close: () => Promise.resolve(client.disconnect()) });
    await new Promise((resolve) => client.once("ready", resolve));
    const key = `${PREFIX}{resend}:count`;
    const port = await cluster.portOf(key);
    // Counts, then stays busy for 300 ms, so that its connection can be cut while it runs.
    const countThenWait = client.eval(
      `redis.call('INCR', KEYS[1])
       local t0 = redis.call('TIME')
       repeat local t = redis.call('TIME') until (t[1] - t0[1]) * 1000000 + t[2] - t0[2] > 300000
       return 1`,
      1,
      key,
    );
    await sleep(100);
    const node = client.nodes("master").find((n) => n.options.port === port);
    (node as unknown as { stream: Socket }).stream.destroy();
    await expect(countThenWait).rejects.toThrow(/Connection is closed/);
    // ioredis's default would send it again 100 ms after the drop, to the same master: 2.
    await sleep(500);
    await expect(onNode(port, (redis) => redis.get(key))).resolves.toBe("1");
  });

  it("fails at once while every node is down, and works again once they are back", async () => {
    const store = openStore();
    await expect(increment(store, "outage")).resolves.toBe(1);
    await cluster.killAll();
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      await expect(increment(store, "outage")).rejects.toBeInstanceOf(StoreUnavailableError);
      expect(performance.now() - started).toBeLessThan(1_000);
    }
    await cluster.restartAll();
    // The client reconnects by itself (capped backoff): the first success comes within a few seconds.
    let outcome: unknown;
    for (const deadline = Date.now() + 15_000; Date.now() < deadline; await sleep(200)) {
      outcome = await increment(store, "outage").catch((error: unknown) => error);
      if (typeof outcome === "number") break;
    }
    // The nodes kept no data (no persistence here): the count starts again.
    expect(outcome).toBe(1);
  });
});
