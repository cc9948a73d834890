// DingTalk: a process killed right after acknowledging a message loses nothing. The callback was recorded in
// the Redis inbox before the acknowledgement; another process takes the entry over and answers it, once.
import { spawn, type ChildProcess } from "node:child_process";
import { fileURLToPath } from "node:url";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FakeDingTalk } from "../fakes/fake-dingtalk.ts";
import { deleteKeysUnder, TEST_REDIS_URL, uniquePrefix } from "../sessions/support/redis-test-prefix.ts";
import { PROJECT_ROOT } from "../support/paths.ts";
import { inboxStream } from "../bots/support/dingtalk-harness.ts";

const SCRIPT = fileURLToPath(new URL("./channel-dingtalk-process.ts", import.meta.url));
const CLAIM_IDLE_MS = 1_500;
const prefix = uniquePrefix("channel-crash");
let fake: FakeDingTalk;
let admin: Redis;
const children: ChildProcess[] = [];

/** What each server printed on stdout. */
const printed = new Map<ChildProcess, string>();

/** A server process with the DingTalk channel; resolves once its stream is connected. */
function startServer(env: Record<string, string>): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", SCRIPT], {
    cwd: PROJECT_ROOT,
    env: {
      ...process.env,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      DINGTALK_CLIENT_ID: fake.clientId,
      DINGTALK_CLIENT_SECRET: fake.clientSecret,
      DINGTALK_GATEWAY_URL: fake.gatewayUrl,
      DINGTALK_API_BASE: fake.base,
      CLAIM_IDLE_MS: String(CLAIM_IDLE_MS),
      ...env,
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  children.push(child);
  let stderr = "";
  child.stderr?.setEncoding("utf8").on("data", (c: string) => (stderr += c));
  return new Promise((resolve, reject) => {
    child.stdout?.setEncoding("utf8").on("data", (c: string) => {
      printed.set(child, (printed.get(child) ?? "") + c);
      if (c.includes("up\n")) resolve(child);
    });
    child.on("exit", (code, signal) => reject(new Error(`server exited (${code ?? signal}): ${stderr}`)));
  });
}

function kill(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
  child.kill("SIGKILL");
  return exited;
}

beforeAll(async () => {
  fake = await FakeDingTalk.start();
  admin = new Redis(TEST_REDIS_URL);
});

afterAll(async () => {
  await Promise.all(children.map(kill));
  await fake.close();
  await deleteKeysUnder(admin, prefix);
  admin.disconnect();
});

describe("dingtalk: a process killed right after acknowledging a message", () => {
  it("still has the message answered, once, by another process", async () => {
    const first = await startServer({ TURN_DELAY_MS: "60000" });
    const pushed = fake.push({ staffId: "survivor" }, { kind: "direct" }, "公示几天？");
    await fake.until(() => fake.acks.some((a) => a.messageId === pushed.streamMessageId), 15_000, "the ack");
    // Acknowledged: DingTalk will not push it again. It is in the inbox, taken by the first process.
    expect(await admin.xlen(inboxStream(prefix))).toBe(1);
    await kill(first);
    expect(fake.repliesTo(pushed)).toEqual([]);

    await startServer({});
    await fake.until(() => fake.repliesTo(pushed).length > 0, 20_000, "the answer from the second process");
    expect(fake.repliesTo(pushed)[0]?.text).toMatch(/公示/);
    // Nothing more comes: the entry was acknowledged and removed, and DingTalk never pushed it again.
    await new Promise((r) => setTimeout(r, 2 * CLAIM_IDLE_MS));
    expect(fake.repliesTo(pushed)).toHaveLength(1);
    expect(fake.acks.filter((a) => a.messageId === pushed.streamMessageId)).toHaveLength(1);
    expect(await admin.xlen(inboxStream(prefix))).toBe(0);
    await Promise.all(children.map(kill));
  });

  it("killed after the turn was recorded and before its replies went out: the recorded replies arrive, once", async () => {
    const first = await startServer({ TURN_DELAY_AFTER_MS: "60000" });
    const pushed = fake.push({ staffId: "half-done" }, { kind: "direct" }, "巴中评审费多少钱");
    await fake.until(
      () => printed.get(first)?.includes("turn done") === true,
      20_000,
      "the turn in the first process",
    );
    await kill(first);
    expect(fake.repliesTo(pushed)).toEqual([]);

    await startServer({});
    await fake.until(() => fake.repliesTo(pushed).length > 0, 20_000, "the answer from the second process");
    await new Promise((r) => setTimeout(r, 2 * CLAIM_IDLE_MS));
    expect(fake.repliesTo(pushed)).toHaveLength(1);
    expect(fake.repliesTo(pushed)[0]?.text).toMatch(/巴中|评审费/);
    expect(await admin.xlen(inboxStream(prefix))).toBe(0);
  });
});
