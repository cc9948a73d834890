// Sessions on a Sentinel-watched master with one replica (REDIS_SENTINELS + REDIS_SENTINEL_NAME): the store
// contract's essentials and whole conversations through the composition root; then the master is killed, and once
// the Sentinels have promoted the replica, turns succeed again through it. A turn during the failover may be refused
// as busy (StoreUnavailableError); a message retried after that is answered exactly once, and no acknowledged turn
// is lost.
import { setTimeout as sleep } from "node:timers/promises";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatTurnDeps } from "../../src/app/chat-turn.ts";
import { createChat } from "../../src/main.ts";
import { createRedisClient } from "../../src/sessions/create-redis-client.ts";
import { createSessionStore } from "../../src/sessions/create-session-store.ts";
import { RedisSessionStore } from "../../src/sessions/redis-session-store.ts";
import type { SessionStore } from "../../src/sessions/session-store.ts";
import { StoreUnavailableError } from "../../src/sessions/session-store.ts";
import { APPLICANTS, converse, expectedVerdict, VERDICT_TEXT } from "../dialogs/support/applicants.ts";
import { speaker, systemChat, TEST_AS_OF } from "../system/support/system-chat.ts";
import type { Counter, LocalSentinelPair } from "../support/redis-topologies.ts";
import { expectStoreEssentials } from "../support/redis-topologies.ts";
import { startSentinelPair } from "../support/redis-topologies.ts";

const PREFIX = "zc-sentinel:";
/** One scripted applicant per region (as in test/system/transcripts-redis.test.ts). */
const ONE_PER_REGION = ["北京硕士AI工程师", "杭州国企高工", "巴中事业单位工程师"];
let pair: LocalSentinelPair;
const opened: Array<{ close(): Promise<void> }> = [];

beforeAll(async () => {
  pair = await startSentinelPair();
});
afterAll(async () => {
  await Promise.all(opened.map((store) => store.close()));
  await pair?.stop();
});

const COUNTER = { version: 1, migrate: () => undefined, ttlSeconds: 3600, rateLimitPerMinute: 3 };

describe("the session store on a Sentinel-watched master", () => {
  it("keeps the contract's essentials across two clients", async () => {
    const open = () => {
      const store = createSessionStore<Counter>({
        redisSentinels: pair.sentinels,
        redisSentinelName: pair.name,
        prefix: PREFIX,
        ...COUNTER,
      });
      opened.push(store);
      return store;
    };
    await expectStoreEssentials(open(), open());
  });

  it("reaches each applicant's verdict through the composition root, turns alternating between two processes", async () => {
    const env = {
      REDIS_SENTINELS: pair.sentinelsSetting,
      REDIS_SENTINEL_NAME: pair.name,
      REDIS_PREFIX: PREFIX,
    };
    const { services, chat } = await systemChat(env);
    const other: ChatTurnDeps = await createChat(services);
    opened.push(chat.store, other.store);
    await Promise.all(
      APPLICANTS.filter((a) => ONE_PER_REGION.includes(a.name)).map(async (applicant, i) => {
        const one = speaker(chat, "sentinel", `applicant-${i}`);
        const two = speaker(other, "sentinel", `applicant-${i}`);
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

/** What one user's stream of messages came to: turns acknowledged (each message id once) and refusals seen. */
interface Tally {
  acknowledged: number;
  busy: number;
  unexpected: unknown[];
}

/**
 * Sends `user`'s messages m0, m1, … one after another until `done()`, each adding 1 to the count, as a channel
 * would: a message refused as busy or still pending is sent again with the same id until it is acknowledged
 * (answered, or a duplicate of an earlier attempt that did commit).
 */
async function converseUntil(store: SessionStore<Counter>, user: string, tally: Tally, done: () => boolean) {
  while (!done()) {
    try {
      const outcome = await store.withMessage(user, `m${tally.acknowledged}`, (state) =>
        Promise.resolve({ state: { user, count: (state?.count ?? 0) + 1 }, result: null }),
      );
      if (outcome.status === "answered" || outcome.status === "duplicate") tally.acknowledged++;
      else if (outcome.status !== "pending") tally.unexpected.push(outcome);
    } catch (error) {
      if (error instanceof StoreUnavailableError) tally.busy++;
      else tally.unexpected.push(error);
    }
    await sleep(20);
  }
}

describe("a failover: the master is killed and the Sentinels promote its replica", () => {
  it("turns succeed again through the new master; none acknowledged is lost or applied twice", async () => {
    // A short lease, so that a lock or message claim taken on the old master just before it died (and replicated)
    // lapses soon on the new one.
    const redis = createRedisClient({ kind: "sentinel", sentinels: pair.sentinels, name: pair.name });
    const store = new RedisSessionStore<Counter>({
      redis,
      prefix: `${PREFIX}failover:`,
      ...COUNTER,
      rateLimitPerMinute: 10_000,
      lockLeaseMs: 1_500,
      ownsClient: true,
    });
    opened.push(store);
    const users = Array.from({ length: 8 }, (_, i) => `writer-${i}`);
    const tallies = users.map((): Tally => ({ acknowledged: 0, busy: 0, unexpected: [] }));
    let stop = false;
    const writers = users.map((user, i) => converseUntil(store, user, tallies[i] as Tally, () => stop));
    const acknowledged = () => tallies.map((tally) => tally.acknowledged);
    const untilEach = async (atLeast: number[]) => {
      for (const deadline = Date.now() + 30_000; Date.now() < deadline; await sleep(50)) {
        if (acknowledged().every((n, i) => n >= (atLeast[i] ?? 0))) return;
      }
      throw new Error(`writers stuck at ${acknowledged().join(", ")}`);
    };
    try {
      await untilEach(users.map(() => 5));
      const oldMaster = await pair.killMaster();
      expect(oldMaster).toBe(pair.masterPort);
      const newMaster = await pair.waitForNewMaster(oldMaster);
      expect(newMaster.port).toBe(pair.replicaPort);
      // Every writer gets 5 more turns through the new master.
      await untilEach(acknowledged().map((n) => n + 5));
    } finally {
      stop = true;
      await Promise.all(writers);
    }
    expect(tallies.flatMap((tally) => tally.unexpected)).toEqual([]);
    // The failover was felt: turns were refused while no master answered.
    expect(tallies.reduce((sum, tally) => sum + tally.busy, 0)).toBeGreaterThan(0);
    const stored = await Promise.all(
      users.map((user) =>
        store.withSession(user, (state) => Promise.resolve({ state: undefined, result: state })),
      ),
    );
    expect(stored.map((state) => state?.count)).toEqual(acknowledged());
  });
});
