// `reminders due|send [--at] [--json]` against real Redis and the fake Telegram; both refuse without REDIS_URL.
import { Writable } from "node:stream";
import { Redis } from "ioredis";
import { afterAll, describe, expect, it } from "vitest";
import { run } from "../../src/main.ts";
import { parseInstant } from "../../src/reminders/parse-instant.ts";
import { RedisSubscriptionStore } from "../../src/reminders/subscription-store.ts";
import { FakeTelegram } from "../fakes/fake-telegram.ts";
import { deleteKeysUnder, TEST_REDIS_URL, uniquePrefix } from "../sessions/support/redis-test-prefix.ts";

const prefix = uniquePrefix("reminders-cli");
const admin = new Redis(TEST_REDIS_URL);
afterAll(async () => {
  await deleteKeysUnder(admin, prefix);
  admin.disconnect();
});

async function cli(argv: string[], env: Record<string, string>) {
  let stdout = "";
  let stderr = "";
  const sink = (append: (s: string) => void) =>
    new Writable({
      write(chunk: Buffer, _enc, done) {
        append(chunk.toString());
        done();
      },
    });
  const code = await run(
    argv,
    { stdout: sink((s) => (stdout += s)), stderr: sink((s) => (stderr += s)) },
    { LOG_LEVEL: "silent", ...env },
  );
  return { code, stdout, stderr };
}

describe("reminders CLI", () => {
  it("reads --at as ISO 8601, Shanghai time without an offset", () => {
    expect(parseInstant("2024-10-18T09:00")?.toISOString()).toBe("2024-10-18T01:00:00.000Z");
    expect(parseInstant("2024-10-18T09:00:00+08:00")?.toISOString()).toBe("2024-10-18T01:00:00.000Z");
    expect(parseInstant("2024-10-18T01:00:00Z")?.toISOString()).toBe("2024-10-18T01:00:00.000Z");
    expect(parseInstant("2024-10-18")?.toISOString()).toBe("2024-10-17T16:00:00.000Z");
    expect(parseInstant("2024-02-30T09:00")).toBeUndefined();
    expect(parseInstant("tomorrow")).toBeUndefined();
  });

  it("says in Chinese that it needs REDIS_URL", async () => {
    for (const action of ["due", "send"]) {
      const r = await cli(["reminders", action], {});
      expect(r.code).toBe(2);
      expect(r.stderr).toMatch(/需要 REDIS_URL/);
    }
    expect((await cli(["worker"], {})).stderr).toMatch(/需要 REDIS_URL/);
  });

  it("lists what is due at --at as JSON, sends it through the channel, and then nothing is due", async () => {
    const telegram = await FakeTelegram.start();
    const redis = new Redis(TEST_REDIS_URL);
    try {
      const subs = new RedisSubscriptionStore(redis, `${prefix}{zc-reminders}:`);
      await subs.add({
        chat: { channel: "telegram", kind: "group", id: "-2002" },
        region: "sichuan-bazhong",
        level: "engineer",
      });
      const env = {
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: prefix,
        TELEGRAM_BOT_TOKEN: telegram.token,
        TELEGRAM_API_ROOT: telegram.apiRoot,
      };
      const due = await cli(["reminders", "due", "--at", "2024-10-18T10:00", "--json"], env);
      expect(due.code).toBe(0);
      const body = JSON.parse(due.stdout) as { due: Array<Record<string, unknown>> };
      expect(body.due).toHaveLength(3);
      expect(body.due).toContainEqual({
        chat: "telegram:g:-2002",
        deadlineId: "bazhong-digital-2024/individual-revision",
        date: "2024-10-20",
        time: "18:00",
        what: "个人修改提交截止",
        offset: 0,
        offsets: [1, 0],
      });
      // Before 09:00 that day only the earlier 3-day reminder of the revision (10-17) is due.
      const early = JSON.parse(
        (await cli(["reminders", "due", "--at", "2024-10-18T08:59", "--json"], env)).stdout,
      ) as { due: Array<{ deadlineId: string; offset: number }> };
      expect(early.due.map((d) => [d.deadlineId, d.offset])).toContainEqual([
        "bazhong-digital-2024/individual-revision",
        3,
      ]);

      const sent = await cli(["reminders", "send", "--at", "2024-10-18T10:00"], env);
      expect(sent.stdout).toMatch(/共发送 3 条/);
      expect(sent.code).toBe(0);
      expect(
        telegram.sent.filter((m) => m.chat.id === -2002 && m.text.includes("【截止提醒】")),
      ).toHaveLength(3);
      const after = JSON.parse(
        (await cli(["reminders", "due", "--at", "2024-10-18T10:00", "--json"], env)).stdout,
      ) as unknown;
      expect(after).toEqual({ due: [] });
      expect((await cli(["reminders", "send", "--at", "2024-10-18T10:05"], env)).stdout).toMatch(
        /共发送 0 条/,
      );
      expect((await cli(["reminders", "due", "--at", "not-a-time"], env)).stderr).toMatch(
        /不是 ISO 8601 时间/,
      );
    } finally {
      redis.disconnect();
      await telegram.close();
    }
  });
});
