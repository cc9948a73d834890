// User ids are stored only as keyed hashes (contract: "Access"): after whole conversations, /forget included,
// neither Redis (every key and value under the prefix) nor the in-memory store holds a raw user id.
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatTurn, type ChatTurnDeps } from "../../src/app/chat-turn.ts";
import { createUserKeyer, userKey } from "../../src/app/user-key.ts";
import type { DialogState } from "../../src/dialogs/types.ts";
import { MemoryBackend } from "../../src/sessions/memory-backend.ts";
import { MemorySessionStore } from "../../src/sessions/memory-session-store.ts";
import { userIdSecretKey, userKeys } from "../../src/sessions/session-keys.ts";
import {
  deleteKeysUnder,
  keysUnder,
  TEST_REDIS_URL,
  uniquePrefix,
} from "../sessions/support/redis-test-prefix.ts";
import { redisChat, systemChat, TEST_CLOCK } from "./support/system-chat.ts";

// Ids as platforms and front ends send them: a phone number, an e-mail address, an open id.
const USERS = ["13800138000", "alice@example.com", "oUpF8uMuAJO_M2pxb1Q9zNjWeS6o"];
const CHANNELS = ["web", "tg"];
const SCRIPT = ["北京，硕士，2019年7月毕业，想评高工", "国企", "公示几天？", "/forget", "浙江"];

/**
 * Every user says the script on every channel, each message with an id (the platform's own, which names no user)
 * and each sent twice (a redelivery).
 */
async function converse(chat: ChatTurnDeps): Promise<void> {
  let id = 0;
  for (const user of USERS)
    for (const channel of CHANNELS)
      for (const text of SCRIPT) {
        const message = { channel, user, text, messageId: `msg-${id++}` };
        expect((await chatTurn(message, chat)).status).toBe("answered");
        expect((await chatTurn(message, chat)).status).toBe("duplicate");
      }
}

/** The raw ids (and their parts a key might carry) found in `text`. */
const rawIdsIn = (text: string) =>
  USERS.filter((user) => text.includes(user) || text.includes(user.split("@")[0]!));

describe("user ids in Redis", () => {
  const prefix = uniquePrefix("system-identity");
  let admin: Redis;
  let chat: ChatTurnDeps;

  beforeAll(async () => {
    admin = new Redis(TEST_REDIS_URL);
    ({ chat } = await redisChat(prefix, { RATE_LIMIT_PER_MINUTE: "1000" }));
  });
  afterAll(async () => {
    await chat.store.close();
    await deleteKeysUnder(admin, prefix);
    await admin.quit();
  });

  it("appear in no key and no value: every user is filed under the keyed hash of channel and id", async () => {
    await converse(chat);
    const keys = await keysUnder(admin, prefix);
    expect(keys.length).toBeGreaterThan(10);
    const found: string[] = [];
    for (const key of keys) {
      const type = await admin.type(key);
      const values =
        type === "string"
          ? [(await admin.get(key)) ?? ""]
          : type === "zset"
            ? await admin.zrange(key, "0", "-1")
            : [`unexpected ${type}`];
      for (const text of [key, ...values]) found.push(...rawIdsIn(text).map((user) => `${user} in ${key}`));
    }
    expect(found).toEqual([]);

    // The keyed hash under the secret the store created once: the same user on another channel is another key.
    const secret = await admin.get(userIdSecretKey(prefix));
    expect(secret).toMatch(/^[\w-]{43}$/);
    for (const user of USERS) {
      const [web, tg] = CHANNELS.map((channel) => userKey(secret ?? "", channel, user));
      expect(web).not.toBe(tg);
      expect(await chat.userKey("web", user)).toBe(web);
      const stored = JSON.parse((await admin.get(userKeys(prefix, web ?? "").state)) ?? "null") as {
        state: DialogState;
      } | null;
      expect(stored?.state.profile.region).toBe("zhejiang"); // what was said after /forget
    }
  });
});

describe("user ids in the in-memory store", () => {
  it("appear in no key and no value", async () => {
    const { chat: base } = await systemChat({ RATE_LIMIT_PER_MINUTE: "1000" });
    const backend = new MemoryBackend();
    const store = new MemorySessionStore<DialogState>({
      backend,
      clock: TEST_CLOCK,
      version: 1,
      migrate: () => undefined,
      ttlSeconds: 3600,
      rateLimitPerMinute: 1000,
    });
    await converse({ ...base, store, userKey: createUserKeyer(() => store.userIdSecret()) });
    const held: string[] = [];
    for (const [key, value] of backend.states.entries()) held.push(key, value);
    for (const [key, value] of backend.rates.entries()) held.push(key, String(value));
    for (const key of backend.locks.keys()) held.push(key);
    for (const [key, records] of backend.messages.entries()) {
      held.push(key);
      for (const [id, record] of records.entries())
        held.push(id, record.kind === "delivered" ? record.result : "");
    }
    expect(held.length).toBeGreaterThan(10);
    expect(held.flatMap(rawIdsIn)).toEqual([]);
  });

  it("is keyed under USER_ID_SECRET when it is set, the same in every process", async () => {
    const secret = "a-configured-secret-of-some-length";
    const [a, b] = await Promise.all([
      systemChat({ USER_ID_SECRET: secret }),
      systemChat({ USER_ID_SECRET: secret }),
    ]);
    const key = await a.chat.userKey("web", USERS[0]!);
    expect(key).toBe(userKey(secret, "web", USERS[0]!));
    expect(await b.chat.userKey("web", USERS[0]!)).toBe(key);
    // Channel and id are kept apart: ("a:b", "c") is not ("a", "b:c").
    expect(userKey(secret, "a:b", "c")).not.toBe(userKey(secret, "a", "b:c"));
  });
});
