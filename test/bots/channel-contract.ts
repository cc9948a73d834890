// The contract every chat channel passes, through its real SDK against a local fake of its platform, with the
// real chat turn on real Redis: a whole conversation, cited answers, redelivery, long answers, group rules,
// platform failures and a Redis outage (contract, "Channels").
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ChatTurnFn } from "../../src/app/group-policy.ts";
import { BOT_MESSAGES } from "../../src/i18n/bot-messages.ts";
import { QUESTIONS } from "../../src/i18n/zh-CN.ts";
import type { Profile, ProfileField } from "../../src/shared/profile.ts";
import { VERDICT_TEXT } from "../dialogs/support/applicants.ts";
import { deleteKeysUnder, TEST_REDIS_URL, uniquePrefix } from "../sessions/support/redis-test-prefix.ts";
import { ThrowawayRedis } from "../sessions/support/throwaway-redis.ts";
import { sharedServices, TEST_AS_OF } from "./support/channel-env.ts";

/** Who speaks, and where: a user's 1:1 chat, or that user in a group. */
export interface Conv {
  user: string;
  group?: string;
}

/** A message the platform received from the bot, as a user sees it. */
export interface Delivered {
  /** The visible text (markup removed). */
  text: string;
  /** Quick replies offered with it (buttons, or the "可回复：" line). */
  choices: string[];
  /** Its length as the platform counts it against its limit. */
  size: number;
  /** In a group: it answers the sender (a reply to their message, or an @-mention of them). */
  addressesSender: boolean;
}

/** A channel running against its fake platform. */
export interface ChannelUnderTest {
  /** A user's message (`addressed: false` in a group: no @-mention); the replies once the channel is done with it. */
  say(conv: Conv, text: string, opts?: { addressed?: boolean }): Promise<Delivered[]>;
  /** Picks a quick reply offered by the last reply (pressing its button, where the platform has buttons). */
  choose(conv: Conv, choice: string): Promise<Delivered[]>;
  /** The platform delivers the last message of `conv` again; the replies that redelivery got. */
  redeliverLast(conv: Conv): Promise<Delivered[]>;
  /** The next sends of replies fail as scripted. */
  failNextSends(...failures: Array<"5xx" | "429" | "refused">): void;
  /** When each send of a reply reached the platform, failed ones included (epoch ms). */
  sendAttempts(): number[];
  /** The channel's log lines. */
  logs(): string[];
  stop(): Promise<void>;
}

export interface ChannelHarness {
  name: string;
  /** The most characters one message may carry on this platform (as the adapter splits). */
  textLimit: number;
  /** The platform lets an unaddressed group message reach the bot (DingTalk only pushes those that @ it). */
  unaddressedReachesBot: boolean;
  /** The platform has group chats (WeChat Official Accounts and WeCom apps receive 1:1 messages only). */
  groups?: boolean;
  start(opts: { redisUrl: string; prefix: string; turn?: ChatTurnFn }): Promise<ChannelUnderTest>;
}

/** What the test applicant answers, by the question asked; "choose" picks the quick reply. */
const ANSWERS: Partial<Record<ProfileField, { choose?: string; type?: string }>> = {
  region: { choose: "北京" },
  targetLevel: { choose: "高级工程师" },
  employerType: { choose: "国企" },
  performanceMet: { choose: "是" },
  achievements: { type: "论文3篇" },
  education: { choose: "硕士" },
  graduated: { type: "2015年7月" },
  specialtyWorkSince: { choose: "毕业后一直做" },
  currentTitle: { type: "2018年7月取得本系列中级职称" },
  continuingEducationMet: { choose: "是" },
  awards: { choose: "没有" },
  otherApplicationThisYear: { choose: "否" },
  firstApplication: { choose: "是" },
};

/** The same applicant as an engine profile, for the expected verdict. */
const PROFILE: Profile = {
  region: "beijing",
  targetLevel: "senior",
  employerType: "state-owned",
  performanceMet: true,
  achievements: 3,
  education: "master",
  graduated: "2015-07",
  specialtyWorkSince: "2015-07",
  currentTitle: { level: "engineer", series: "same", obtained: "2018-07" },
  continuingEducationMet: true,
  awards: [],
  otherApplicationThisYear: false,
  firstApplication: true,
};

function fieldAsked(replies: Delivered[]): ProfileField | undefined {
  const text = replies.map((r) => r.text).join("\n");
  return (Object.keys(QUESTIONS) as ProfileField[]).find((f) => text.includes(QUESTIONS[f].text));
}

const joined = (replies: Delivered[]) => replies.map((r) => r.text).join("\n");

/** Registers the contract's tests for one channel. */
export function channelContract(harness: ChannelHarness): void {
  describe(`${harness.name}: the channel contract`, () => {
    const prefix = uniquePrefix(`channel-${harness.name}`);
    let ch: ChannelUnderTest;

    beforeAll(async () => {
      ch = await harness.start({ redisUrl: TEST_REDIS_URL, prefix });
    });

    afterAll(async () => {
      await ch?.stop();
      const admin = new Redis(TEST_REDIS_URL);
      await deleteKeysUnder(admin, prefix);
      admin.disconnect();
    });

    it("takes a user through the eligibility form by quick replies to the engine's verdict", async () => {
      const me: Conv = { user: "applicant" };
      let replies = await ch.say(me, "能评职称吗");
      const transcript: string[] = ["> 能评职称吗", joined(replies)];
      let chosen = 0;
      for (let turn = 0; turn < 16 && !joined(replies).includes("结论："); turn++) {
        const field = fieldAsked(replies);
        const answer = field && ANSWERS[field];
        if (!answer) throw new Error(`unexpected question:\n${transcript.join("\n")}`);
        if (answer.choose) {
          expect(replies.at(-1)?.choices, transcript.join("\n")).toContain(answer.choose);
          replies = await ch.choose(me, answer.choose);
          chosen++;
        } else replies = await ch.say(me, answer.type ?? "");
        transcript.push(`> ${answer.choose ?? answer.type}`, joined(replies));
      }
      const services = await sharedServices();
      const expected = services.assess(PROFILE, TEST_AS_OF).verdict;
      expect(joined(replies), transcript.join("\n")).toContain(VERDICT_TEXT[expected]);
      expect(chosen).toBeGreaterThanOrEqual(5);
      // The verdict cites its clauses.
      expect(joined(replies)).toMatch(/（[^）]*[一二三四五六七八九十]、[^）]*）/);
    });

    it("answers a policy question with the clauses it comes from", async () => {
      const replies = await ch.say({ user: "asker" }, "巴中评审费多少钱");
      const text = joined(replies);
      expect(text).toContain("根据");
      expect(text).toMatch(/· 《[^》]+》/);
      expect(text).toMatch(/巴中|大数据与人工智能/);
    });

    it("answers a redelivered message once", async () => {
      const me: Conv = { user: "redelivered" };
      const first = await ch.say(me, "公示几天？");
      expect(first.length).toBeGreaterThan(0);
      const again = await ch.redeliverLast(me);
      expect(again).toEqual([]);
    });

    it("delivers, once, replies that could not be sent the first time (a redelivery, or the channel's own retry)", async () => {
      const me: Conv = { user: "undelivered" };
      // More failures than the sender's retries: the first delivery's replies do not get through.
      ch.failNextSends("5xx", "5xx", "5xx", "5xx", "5xx", "5xx");
      const first = await ch.say(me, "公示几天？");
      const again = await ch.redeliverLast(me);
      const answers = [...first, ...again].filter((r) => /公示/.test(r.text));
      expect(answers).toHaveLength(1);
      expect(ch.logs().join("\n")).toMatch(/replies not delivered/);
    });

    if (harness.groups ?? true)
      describe("in a group", () => {
        const alice: Conv = { user: "alice", group: "hr-group" };

        it("answers an addressed policy question in the group, to its sender", async () => {
          const replies = await ch.say(alice, "公示几天？");
          expect(joined(replies)).toMatch(/公示/);
          expect(joined(replies)).toMatch(/· 《/);
          expect(replies[0]?.addressesSender).toBe(true);
        });

        it("keeps people's profiles out of the group: eligibility gets a pointer to a private chat", async () => {
          const asked = await ch.say(alice, "北京，硕士，2015年7月毕业，一直做AI，能评高工吗");
          expect(joined(asked)).toBe(BOT_MESSAGES.groupPointer);
          const check = await ch.say(alice, "/check");
          expect(joined(check)).toBe(BOT_MESSAGES.groupPointer);
          const facts = await ch.say(alice, "我是硕士，2015年7月毕业");
          expect(joined(facts)).toBe(BOT_MESSAGES.groupPointer);
          // Nothing was recorded: a policy question afterwards resumes no form.
          const policy = await ch.say(alice, "公示几天？");
          expect(joined(policy)).not.toMatch(/已记录|回到刚才的问题/);
          // In private, the same person starts from nothing (the group session is another session).
          const direct = await ch.say({ user: "alice" }, "能评职称吗");
          expect(fieldAsked(direct)).toBe("region");
        });

        if (harness.unaddressedReachesBot)
          it("stays silent when not addressed", async () => {
            expect(await ch.say(alice, "公示几天？", { addressed: false })).toEqual([]);
            expect(await ch.say(alice, "北京，硕士，能评高工吗", { addressed: false })).toEqual([]);
          });
      });

    it("retries a send failing with 5xx and 429 (retry_after), and keeps running after a refusal", async () => {
      ch.failNextSends("5xx", "429");
      const before = ch.sendAttempts().length;
      const replies = await ch.say({ user: "unlucky" }, "公示几天？");
      expect(joined(replies)).toMatch(/公示/);
      const attempts = ch.sendAttempts().slice(before);
      // 5xx, backoff, 429, the platform's retry_after (1 s), success.
      expect(attempts.length).toBeGreaterThanOrEqual(3);
      const [a, b, c] = attempts as [number, number, number];
      expect(b - a).toBeGreaterThanOrEqual(50);
      expect(c - b).toBeGreaterThanOrEqual(1_000);

      // A send the platform refuses for good is logged; the channel goes on with the next message.
      ch.failNextSends("refused");
      await ch.say({ user: "refused" }, "公示几天？");
      expect(ch.logs().join("\n")).toMatch(/replies not delivered/);
      expect(joined(await ch.say({ user: "refused" }, "/help"))).toMatch(/可用命令/);
    });
  });

  // Channels of their own (a DingTalk process runs one Stream client: these start after the one above stopped).
  describe(`${harness.name}: the channel contract, on channels of its own`, () => {
    it("splits a long answer at line ends within the platform's limit, choices on the last piece", async () => {
      const lines = Array.from({ length: 400 }, (_, i) => `第${i + 1}行：${"条款内容".repeat(5)} & <说明>`);
      const longText = lines.join("\n");
      const turn: ChatTurnFn = () =>
        Promise.resolve({ status: "answered", replies: [{ text: longText, choices: ["是", "否"] }] });
      const longPrefix = uniquePrefix(`channel-${harness.name}-long`);
      const other = await harness.start({ redisUrl: TEST_REDIS_URL, prefix: longPrefix, turn });
      try {
        const pieces = await other.say({ user: "long" }, "详细");
        expect(pieces.length).toBeGreaterThan(1);
        for (const p of pieces) expect(p.size).toBeLessThanOrEqual(harness.textLimit);
        // Every piece ends at a line end: the lines come back whole and in order.
        expect(pieces.flatMap((p) => p.text.split("\n"))).toEqual(lines);
        expect(pieces.slice(0, -1).every((p) => p.choices.length === 0)).toBe(true);
        expect(pieces.at(-1)?.choices).toEqual(["是", "否"]);
      } finally {
        await other.stop();
        const admin = new Redis(TEST_REDIS_URL);
        await deleteKeysUnder(admin, longPrefix);
        admin.disconnect();
      }
    });

    it("tells the user 服务繁忙 on the platform while Redis is down", async () => {
      const redis = await ThrowawayRedis.start();
      const other = await harness.start({ redisUrl: redis.url, prefix: uniquePrefix("channel-down") });
      try {
        expect(joined(await other.say({ user: "before" }, "公示几天？"))).toMatch(/公示/);
        await redis.stop();
        const replies = await other.say({ user: "during" }, "公示几天？");
        expect(joined(replies)).toContain("服务繁忙");
      } finally {
        await other.stop();
        await redis.stop();
      }
    });
  });
}
