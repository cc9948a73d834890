// 1,000 simulated users × 10 turns at once on one Redis: every turn records a different fact, with values
// unique to the user, so a lost update shows as a missing field and a crossed one as another user's value.
// First through chatTurn in this process, then through two `serve` processes sharing the Redis.
import { Agent, request } from "node:http";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { chatTurn, type ChatTurnDeps } from "../../src/app/chat-turn.ts";
import type { DraftProfile } from "../../src/dialogs/types.ts";
import { CHAT_MESSAGES } from "../../src/i18n/chat-messages.ts";
import { userKeys } from "../../src/sessions/session-keys.ts";
import type { Reply } from "../../src/shared/chat.ts";
import { deleteKeysUnder, TEST_REDIS_URL, uniquePrefix } from "../sessions/support/redis-test-prefix.ts";
import { redisChat, spawnCli, storedUserKey, type CliProcess } from "./support/system-chat.ts";

const USERS = 1_000;
const TURNS = 10;

const REGIONS = [
  ["北京", "beijing"],
  ["浙江", "zhejiang"],
  ["巴中", "sichuan-bazhong"],
] as const;
const EDUCATIONS = [
  ["硕士", "master"],
  ["本科", "bachelor"],
  ["博士", "doctorate"],
] as const;
const EMPLOYERS = [
  ["国企", "state-owned"],
  ["民企", "private"],
  ["事业单位", "public-institution"],
] as const;

const ym = (index: number): string =>
  `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, "0")}`;
const said = (index: number): string => `${Math.floor(index / 12)}年${(index % 12) + 1}月`;
const pick = <T>(xs: readonly T[], i: number): T => xs[i % xs.length] as T;

/** User i's ten messages (each records one field; none depends on the order) and the profile they make. */
function script(i: number): { messages: string[]; profile: DraftProfile } {
  const graduated = 2000 * 12 + (i % 240); // 2000-01 … 2019-12, unique for i < 240
  const since = graduated + 1 + (i % 7);
  const obtained = graduated + 24 + (i % 11);
  const achievements = 1 + Math.floor(i / 240); // with `graduated`, unique for every i < 1,200
  const selfScore = 40 + (i % 60);
  const [regionWord, region] = pick(REGIONS, i);
  const [educationWord, education] = pick(EDUCATIONS, Math.floor(i / 3));
  const [employerWord, employerType] = pick(EMPLOYERS, Math.floor(i / 9));
  return {
    messages: [
      "想评高工",
      regionWord,
      educationWord,
      `${said(graduated)}毕业`,
      `${said(since)}开始从事大数据`,
      `论文${achievements}篇`,
      `自评${selfScore}分`,
      employerWord,
      `${said(obtained)}取得本系列中级`,
      "继续教育已完成",
    ],
    profile: {
      targetLevel: "senior",
      region,
      education,
      graduated: ym(graduated),
      specialtyWorkSince: ym(since),
      achievements,
      selfScore,
      employerType,
      currentTitle: { level: "engineer", series: "same", obtained: ym(obtained) },
      continuingEducationMet: true,
    },
  };
}

/** Reads and JSON-decodes every user's state key; returns the users whose profile is not exactly theirs. */
async function mismatches(
  admin: Redis,
  prefix: string,
  keyOf: (i: number) => Promise<string>,
): Promise<Array<{ user: number; stored: unknown; expected: DraftProfile }>> {
  const pipeline = admin.pipeline();
  const keys = await Promise.all(Array.from({ length: USERS }, (_, i) => keyOf(i)));
  for (const key of keys) pipeline.get(userKeys(prefix, key).state);
  const results = (await pipeline.exec()) ?? [];
  const wrong: Array<{ user: number; stored: unknown; expected: DraftProfile }> = [];
  results.forEach(([err, raw], i) => {
    const expected = script(i).profile;
    const stored =
      err || typeof raw !== "string"
        ? undefined
        : (JSON.parse(raw) as { v: number; state: { profile: unknown } }).state.profile;
    if (JSON.stringify(sortKeys(stored)) !== JSON.stringify(sortKeys(expected)))
      wrong.push({ user: i, stored, expected });
  });
  return wrong;
}

function sortKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortKeys);
  if (value && typeof value === "object")
    return Object.fromEntries(
      Object.entries(value)
        .sort(([a], [b]) => a.localeCompare(b))
        .map(([k, v]) => [k, sortKeys(v)]),
    );
  return value;
}

/** Every reply of every turn: non-empty, and neither "busy" nor "rate limited" (those would lose the fact). */
function checkReplies(all: Reply[][]): void {
  expect(all).toHaveLength(USERS * TURNS);
  const bad = all.filter(
    (replies) =>
      replies.length === 0 ||
      replies.some((r) => r.text === CHAT_MESSAGES.busy || r.text === CHAT_MESSAGES.rateLimited),
  );
  expect(bad.slice(0, 3)).toEqual([]);
}

let admin: Redis;
beforeAll(() => {
  admin = new Redis(TEST_REDIS_URL);
});
afterAll(async () => {
  await admin.quit();
});

describe("1,000 users × 10 turns at once, one process", () => {
  const prefix = uniquePrefix("system-concurrency");
  let chat: ChatTurnDeps;

  beforeAll(async () => {
    ({ chat } = await redisChat(prefix));
  });
  afterAll(async () => {
    await chat.store.close();
    await deleteKeysUnder(admin, prefix);
  });

  it("keeps exactly each user's facts: no lost and no crossed updates", async () => {
    // All 10,000 turns are in flight together: a user's ten messages race each other, and 1,000 users share
    // the one connection.
    const all = await Promise.all(
      Array.from({ length: USERS }, (_, i) =>
        script(i).messages.map((text) => chatTurn({ channel: "load", user: `u${i}`, text }, chat)),
      )
        .flat()
        .map((p) => p.then((o) => o.replies)),
    );
    checkReplies(all);
    expect(await mismatches(admin, prefix, (i) => chat.userKey("load", `u${i}`))).toEqual([]);
  }, 120_000);
});

describe("1,000 users × 10 turns at once, two server processes sharing one Redis", () => {
  const prefix = uniquePrefix("system-concurrency-2p");
  const servers: CliProcess[] = [];
  const bases: string[] = [];
  // Enough sockets per server to keep many of a user's messages in flight in both processes at once.
  const agent = new Agent({ keepAlive: true, maxSockets: 64 });

  beforeAll(async () => {
    // One client sends every user's messages: the per-client HTTP limit must not be what is measured here.
    const env = {
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      PORT: "0",
      HOST: "127.0.0.1",
      HTTP_RATE_LIMIT_PER_MINUTE: "1000000",
    };
    for (let n = 0; n < 2; n++) servers.push(spawnCli(["serve"], env));
    for (const server of servers) {
      const out = await server.waitFor((o) => /http:\/\/127\.0\.0\.1:\d+\//.test(o), 60_000);
      const base = /http:\/\/127\.0\.0\.1:\d+/.exec(out)?.[0];
      if (!base) throw new Error(`no URL in: ${out}`);
      bases.push(base);
    }
  }, 120_000);

  afterAll(async () => {
    agent.destroy();
    await Promise.all(servers.map((s) => s.stop()));
    await deleteKeysUnder(admin, prefix);
  });

  const post = (base: string, body: unknown): Promise<{ status: number; body: string }> =>
    new Promise((resolve, reject) => {
      const data = Buffer.from(JSON.stringify(body));
      const req = request(
        `${base}/api/chat`,
        {
          method: "POST",
          agent,
          headers: { "content-type": "application/json", "content-length": data.length },
        },
        (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (c: string) => (text += c));
          res.on("end", () => resolve({ status: res.statusCode ?? 0, body: text }));
          res.on("error", reject);
        },
      );
      req.on("error", reject);
      req.end(data);
    });

  it("two distinct processes answer", () => {
    expect(bases).toHaveLength(2);
    expect(bases[0]).not.toBe(bases[1]);
  });

  it("keeps exactly each user's facts when a user's messages alternate between the processes", async () => {
    const responses = await Promise.all(
      Array.from({ length: USERS }, (_, i) =>
        script(i).messages.map(async (text, t) => {
          const res = await post(bases[t % 2] ?? "", { user: `u${i}`, text });
          expect(res.status, res.body).toBe(200);
          return (JSON.parse(res.body) as { replies: Reply[] }).replies;
        }),
      ).flat(),
    );
    checkReplies(responses);
    // Both processes file users under the same keyed hash: the secret the first of them created in Redis.
    expect(await mismatches(admin, prefix, (i) => storedUserKey(admin, prefix, "web", `u${i}`))).toEqual([]);
    // Both processes did the work.
    for (const base of bases) {
      const metrics = await new Promise<string>((resolve, reject) => {
        request(`${base}/metrics`, { agent }, (res) => {
          let text = "";
          res.setEncoding("utf8");
          res.on("data", (c: string) => (text += c));
          res.on("end", () => resolve(text));
        })
          .on("error", reject)
          .end();
      });
      // Half the chat requests answered 200 by each (whatever the metric's labels are named).
      expect(metrics).toMatch(
        new RegExp(
          `zhicheng_http_request[^{]*\\{[^}]*route="/api/chat"[^}]*"200"[^}]*\\} ${(USERS * TURNS) / 2}\\n`,
        ),
      );
    }
  }, 180_000);
});
