// What chatTurn does with a message before the dialog sees it, on the Redis store the composition root builds:
// a redelivery is answered once, a user over the rate limit is told so politely and their conversation is kept.
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatTurn, type ChatTurnDeps } from "../../src/app/chat-turn.ts";
import { CHAT_MESSAGES } from "../../src/i18n/chat-messages.ts";
import { userKeys } from "../../src/sessions/session-keys.ts";
import { deleteKeysUnder, TEST_REDIS_URL, uniquePrefix } from "../sessions/support/redis-test-prefix.ts";
import { redisChat, storedState } from "./support/system-chat.ts";

const PREFIX = uniquePrefix("system-admission");
let admin: Redis;
let chat: ChatTurnDeps;

beforeAll(async () => {
  admin = new Redis(TEST_REDIS_URL);
  ({ chat } = await redisChat(PREFIX, { RATE_LIMIT_PER_MINUTE: "3" }));
});

afterAll(async () => {
  await chat.store.close();
  await deleteKeysUnder(admin, PREFIX);
  await admin.quit();
});

const say = (user: string, text: string, messageId?: string) =>
  chatTurn({ channel: "sys", user, text, ...(messageId ? { messageId } : {}) }, chat);

describe("chatTurn admission (Redis)", () => {
  it("answers a redelivered message once, with the first delivery's replies, without spending the rate budget", async () => {
    const first = await say("redelivered", "北京，硕士", "m-1");
    expect(first.replies.length).toBeGreaterThan(0);
    expect(first.status).toBe("answered");
    const before = await storedState(admin, PREFIX, await chat.userKey("sys", "redelivered"));
    for (let i = 0; i < 5; i++) {
      await expect(say("redelivered", "北京，硕士", "m-1")).resolves.toEqual({
        status: "duplicate",
        replies: first.replies,
      });
    }
    // Not run again: the conversation is as the first delivery left it.
    expect(await storedState(admin, PREFIX, await chat.userKey("sys", "redelivered"))).toEqual(before);
    const next = await say("redelivered", "高工", "m-2");
    expect(next.status).toBe("answered");
    expect(next.replies.map((r) => r.text).join("\n")).not.toContain(CHAT_MESSAGES.rateLimited);
  });

  it("keeps message ids apart per user and per channel", async () => {
    const alice = await say("alice", "北京", "same-id");
    const bob = await say("bob", "浙江", "same-id");
    const bobElsewhere = await chatTurn(
      { channel: "other", user: "bob", text: "巴中", messageId: "same-id" },
      chat,
    );
    expect([alice.status, bob.status, bobElsewhere.status]).toEqual(["answered", "answered", "answered"]);
    expect((await storedState(admin, PREFIX, await chat.userKey("sys", "bob")))?.state.profile.region).toBe(
      "zhejiang",
    );
  });

  it("tells a user over the limit to wait, and keeps what they said before", async () => {
    await say("hasty", "北京");
    await say("hasty", "硕士");
    await say("hasty", "2019年7月毕业");
    const key = await chat.userKey("sys", "hasty");
    const before = await storedState(admin, PREFIX, key);
    const over = await say("hasty", "一直做AI，能评高工吗", "over-1");
    expect(over).toMatchObject({ status: "rate-limited", replies: [{ text: CHAT_MESSAGES.rateLimited }] });
    // When to retry: what is left of the user's one-minute window.
    const { retryAfterSeconds } = over as { retryAfterSeconds: number };
    expect(retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(await storedState(admin, PREFIX, key)).toEqual(before);
    // The refused message was not recorded: once the window has passed, its retry is processed.
    await admin.del(userKeys(PREFIX, key).rate);
    const retried = await say("hasty", "一直做AI，能评高工吗", "over-1");
    expect(retried.status).toBe("answered");
    expect((await storedState(admin, PREFIX, key))?.state.profile.specialtyWorkSince).toBe("2019-07");
    expect(before?.state.profile).toMatchObject({
      region: "beijing",
      education: "master",
      graduated: "2019-07",
    });
    // Another user is not slowed down by this one.
    const other = await say("patient", "北京");
    expect(other.replies.map((r) => r.text).join("\n")).not.toContain(CHAT_MESSAGES.rateLimited);
  });
});
