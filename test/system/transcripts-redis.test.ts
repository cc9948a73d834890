// Whole conversations through chatTurn with the Redis store the composition root builds (REDIS_URL), and a
// conversation that survives a restart: its first half in one `tsx src/main.ts chat` process, the rest in another.
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatTurnDeps } from "../../src/app/chat-turn.ts";
import type { Services } from "../../src/app/services.ts";
import { userKeys } from "../../src/sessions/session-keys.ts";
import { answer, seededRandom, topicOf, type Applicant } from "../dialogs/support/applicant.ts";
import {
  deleteKeysUnder,
  keysUnder,
  TEST_REDIS_URL,
  uniquePrefix,
} from "../sessions/support/redis-test-prefix.ts";
import {
  APPLICANTS,
  converse,
  expectedVerdict,
  knownFacts,
  VERDICT_TEXT,
} from "../dialogs/support/applicants.ts";
import {
  lastQuestion,
  redisChat,
  spawnCli,
  speaker,
  storedState,
  storedUserKey,
  TEST_AS_OF,
  type CliProcess,
} from "./support/system-chat.ts";

const PREFIX = uniquePrefix("system-transcripts");
const CHANNEL = "sys";
let admin: Redis;
let services: Services;
let chat: ChatTurnDeps;
const children: CliProcess[] = [];

beforeAll(async () => {
  admin = new Redis(TEST_REDIS_URL);
  ({ services, chat } = await redisChat(PREFIX));
});

afterAll(async () => {
  await Promise.all(children.map((c) => c.stop()));
  await chat.store.close();
  await deleteKeysUnder(admin, PREFIX);
  await admin.quit();
});

const byName = (name: string): Applicant => {
  const a = APPLICANTS.find((x) => x.name === name);
  if (!a) throw new Error(`no applicant ${name}`);
  return a;
};

/** Keys of one user (state, lock, rate, message records) under this file's prefix. */
const userKeysInRedis = async (user: string) =>
  keysUnder(admin, userKeys(PREFIX, await chat.userKey(CHANNEL, user)).state.replace(/state$/, ""));

/** The stored conversation of one user of this file's channel. */
const stateOf = async (user: string) => storedState(admin, PREFIX, await chat.userKey(CHANNEL, user));

describe("a conversation to a verdict through chatTurn and Redis, per region", () => {
  it.each([
    ["北京", "北京硕士AI工程师"],
    ["浙江", "杭州国企高工"],
    ["四川巴中", "巴中事业单位工程师"],
  ])(
    "%s: reaches the engine's verdict and the stored state holds the applicant's facts",
    async (_r, name) => {
      const a = byName(name);
      const user = `transcript-${name}`;
      const me = speaker(chat, CHANNEL, user);
      const { turns, last, transcript } = await converse(me.says, a, 1);
      const expected = expectedVerdict(services.assess, a, TEST_AS_OF);
      expect(last, transcript.join("\n")).toContain(VERDICT_TEXT[expected]);
      expect(me.lastReplies().at(-1)?.citations?.length ?? 0).toBeGreaterThan(0);
      expect(turns).toBeLessThanOrEqual(12);

      // What Redis holds is the conversation: decided, with exactly the facts the applicant told.
      const stored = await stateOf(user);
      expect(stored?.v).toBe(1);
      expect(stored?.state.step).toEqual({ name: "decided" });
      for (const [k, v] of Object.entries(stored?.state.profile ?? {}))
        expect(v, `${k}\n${transcript.join("\n")}`).toEqual((a.facts as Record<string, unknown>)[k]);
      expect(stored?.state.profile.region).toBe(a.facts.region);
      // The key expires (the configured 30 days), it is not kept forever.
      const ttl = await admin.ttl(userKeys(PREFIX, await chat.userKey(CHANNEL, user)).state);
      expect(ttl).toBeGreaterThan(29 * 86_400);
      expect(ttl).toBeLessThanOrEqual(30 * 86_400);
    },
  );
});

describe("the form through the store", () => {
  it("accepts a correction, re-derives what depends on it, and still reaches a verdict", async () => {
    const a = byName("北京硕士AI工程师");
    const me = speaker(chat, CHANNEL, "correction");
    await me.says("北京，硕士，2019年7月毕业，一直做AI，能评高工吗");
    const reply = await me.says("不对，是2015年毕业");
    expect(reply).toMatch(/已记录：.*2015-07 毕业/);
    const stored = await stateOf("correction");
    expect(stored?.state.profile).toMatchObject({ graduated: "2015-07", specialtyWorkSince: "2015-07" });
    // The corrected facts are those of the applicant: the rest of the form leads to the engine's verdict.
    const { last, transcript } = await converse(me.says, a, 2, { firstReply: reply });
    expect(last, transcript.join("\n")).toContain(
      VERDICT_TEXT[expectedVerdict(services.assess, a, TEST_AS_OF)],
    );
    expect((await stateOf("correction"))?.state.profile.graduated).toBe("2015-07");
  });

  it("answers a policy question in the middle with citations, keeps the pending question, then resumes", async () => {
    const a = byName("北京硕士AI工程师");
    const me = speaker(chat, CHANNEL, "interruption");
    await me.says(a.opening);
    const pending = lastQuestion(me.last());
    const before = await stateOf("interruption");
    expect(before?.state.step.name).toBe("asking");

    await me.says("公示几天？");
    const [policy, resume] = me.lastReplies();
    expect(policy?.text).toMatch(/公示/);
    expect(policy?.citations?.length ?? 0).toBeGreaterThan(0);
    expect(resume?.text).toContain(pending);
    const during = await stateOf("interruption");
    expect(during?.state.step).toEqual(before?.state.step);
    expect(during?.state.profile).toEqual(before?.state.profile);

    const { last, transcript } = await converse(me.says, a, 3, { firstReply: me.last() });
    expect(last, transcript.join("\n")).toContain(
      VERDICT_TEXT[expectedVerdict(services.assess, a, TEST_AS_OF)],
    );
  });

  it("/forget leaves no key of the user in Redis, and the next message starts afresh", async () => {
    const me = speaker(chat, CHANNEL, "forgetful");
    await me.says("北京，硕士，2019年7月毕业，能评高工吗");
    expect((await userKeysInRedis("forgetful")).length).toBeGreaterThan(0);
    expect((await stateOf("forgetful"))?.state.profile.region).toBe("beijing");
    // Another user's conversation is not touched by it.
    const other = speaker(chat, CHANNEL, "bystander");
    await other.says("浙江，想评高工");

    expect(await me.says("/forget")).toMatch(/已删除/);
    expect(await userKeysInRedis("forgetful")).toEqual([]);
    expect((await stateOf("bystander"))?.state.profile.region).toBe("zhejiang");

    await me.says("能评高工吗");
    expect(me.last()).toMatch(/哪个地区/); // the region given before is gone
    expect((await stateOf("forgetful"))?.state.profile).toEqual({ targetLevel: "senior" });
  });
});

describe("a restart in the middle of a conversation", () => {
  const CHILD_PREFIX = uniquePrefix("system-restart");
  const env = { REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: CHILD_PREFIX };
  // `chat` talks as the local user "terminal" on the channel "terminal".

  afterAll(async () => {
    await deleteKeysUnder(admin, CHILD_PREFIX);
  });

  it("a new `chat` process continues the conversation the first one left in Redis", async () => {
    const a = byName("北京硕士AI工程师");
    const given = ["region", "targetLevel", "education", "graduated", "employerType"];

    // First process: the opening and one answer, then end of input.
    const first = spawnCli(["chat"], env);
    children.push(first);
    first.child.stdin.end(`${a.opening}\n民企\n`);
    expect(await first.exited, first.stderr()).toBe(0);
    const firstOut = first.stdout();
    expect(firstOut).toMatch(/已记录：.*地区 北京/);
    expect(firstOut).toMatch(/已记录：.*民营/);
    expect(firstOut).toMatch(/30 天/); // the privacy line, shown once before the first fact
    const pending = lastQuestion(firstOut);
    expect(topicOf(pending), firstOut).toBeDefined();
    const key = await storedUserKey(admin, CHILD_PREFIX, "terminal", "terminal");
    const half = await storedState(admin, CHILD_PREFIX, key);
    expect(half?.state.profile).toMatchObject({
      region: "beijing",
      education: "master",
      graduated: "2015-07",
      employerType: "private",
    });

    // Second process, same environment: answers the question the first one asked, and so on to a verdict.
    const second = spawnCli(["chat"], env);
    children.push(second);
    await second.waitFor((out) => out.includes("Ctrl+D"));
    const rnd = seededRandom(7);
    let question = pending;
    const asked: string[] = [];
    for (let turn = 0; ; turn++) {
      if (turn >= 15) throw new Error(`no verdict in the second process:\n${second.stdout()}`);
      const from = second.stdout().length;
      second.child.stdin.write(`${answer(a, question, rnd)}\n`);
      // A turn is complete when its output ends with the verdict or with a question the applicant can read.
      const out = (
        await second.waitFor((all) => {
          const turnOut = all.slice(from);
          return turnOut.endsWith("\n\n") && (/结论：/.test(turnOut) || !!topicOf(lastQuestion(turnOut)));
        })
      ).slice(from);
      if (/结论：/.test(out)) break;
      question = lastQuestion(out);
      asked.push(question);
    }
    second.child.stdin.end();
    expect(await second.exited, second.stderr()).toBe(0);
    const secondOut = second.stdout();

    // It continued: nothing told to the first process is asked again, nor the privacy line repeated.
    for (const q of asked) expect(given, `re-asked in the second process: ${q}`).not.toContain(topicOf(q));
    expect(secondOut).not.toMatch(/30 天/);
    expect(secondOut).not.toMatch(/哪个地区/);
    // …to the verdict the engine gives on the whole profile, on the day the processes ran.
    const today = new Intl.DateTimeFormat("sv-SE", { timeZone: "Asia/Shanghai" }).format(new Date());
    const expected = expectedVerdict(services.assess, a, today);
    expect(secondOut, secondOut).toContain(VERDICT_TEXT[expected]);
    const end = await storedState(admin, CHILD_PREFIX, key);
    expect(end?.state.step).toEqual({ name: "decided" });
    expect(end?.state.profile).toMatchObject(half?.state.profile ?? { missing: true });
    for (const [k, v] of Object.entries(end?.state.profile ?? {}))
      expect(v, k).toEqual((knownFacts(a) as Record<string, unknown>)[k]);
  }, 180_000);
});
