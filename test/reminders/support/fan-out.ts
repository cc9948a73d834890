// Fan-out of one deadline's reminder to many chats across worker processes, against a platform fake over HTTP:
// counts what each chat received (duplicates, losses) and can kill a worker mid-way. Used by the fault test and
// `npm run bench -- reminders`.
import { spawn, type ChildProcess } from "node:child_process";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { join } from "node:path";
import { Redis } from "ioredis";
import { RedisSubscriptionStore } from "../../../src/reminders/subscription-store.ts";

const SCRIPT = join(import.meta.dirname, "reminder-worker-child.ts");
const ROOT = join(import.meta.dirname, "../../..");
/** 2024-10-09 10:00 Shanghai: of Zhejiang's senior round only the lower committee's deadline (10-23) is due. */
export const FAN_OUT_AT = "2024-10-09T02:00:00Z";
export const FAN_OUT_DEADLINE = "下级评委会评审推荐截止";

export interface FanOutOptions {
  prefix: string;
  chats: number;
  workers: number;
  /** Overall messages/s the platform (and the workers' limiter) allow. */
  overallPerSecond: number;
  concurrency: number;
  /** Kill (SIGKILL) the first worker once this many messages were accepted. */
  killAfter?: number;
  timeoutMs: number;
}

export interface FanOutResult {
  chats: number;
  accepted: number;
  distinct: number;
  duplicates: number;
  losses: number;
  /** From the first message the platform accepted to the last chat's (worker start-up excluded). */
  elapsedMs: number;
  /** From spawning the workers to the first accepted message (process start, knowledge load, planning). */
  startupMs: number;
  /** The least time the overall limit allows for one message to each chat. */
  minimumMs: number;
  killedAt?: number;
  /** Sends accepted after the kill whose chat had been accepted before it (repeats of in-flight sends). */
  repeatedAfterKill: number;
  refusedOverLimit: number;
}

/** The platform fake: accepts POST {chat, text}, at most `perSecond` a second overall (429 beyond) and 1 per chat. */
function platform(perSecond: number) {
  const received = new Map<string, number>();
  const order: string[] = [];
  const times: number[] = [];
  let windowStart = Date.now();
  let inWindow = 0;
  let refused = 0;
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (c: Buffer) => (body += c.toString()));
    req.on("end", () => {
      const now = Date.now();
      if (now - windowStart >= 1_000) {
        windowStart = now;
        inWindow = 0;
      }
      // A 10 % margin over the nominal limit: the workers' limiter and this window are not aligned.
      if (inWindow >= perSecond * 1.1) {
        refused += 1;
        res.writeHead(429).end();
        return;
      }
      inWindow += 1;
      const { chat, text } = JSON.parse(body) as { chat: string; text: string };
      if (!text.includes(FAN_OUT_DEADLINE)) {
        res.writeHead(400).end();
        return;
      }
      received.set(chat, (received.get(chat) ?? 0) + 1);
      order.push(chat);
      times.push(Date.now());
      res.writeHead(200, { "content-type": "application/json" }).end('{"ok":true}');
    });
  });
  return { server, received, order, times, refused: () => refused };
}

function startWorker(opts: FanOutOptions, url: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ["--import", "tsx", SCRIPT], {
    cwd: ROOT,
    env: {
      ...process.env,
      RW_PREFIX: opts.prefix,
      RW_PLATFORM: url,
      RW_AT: FAN_OUT_AT,
      RW_OVERALL: String(opts.overallPerSecond),
      RW_CONCURRENCY: String(opts.concurrency),
      RW_CLAIM_MS: "3000",
    },
    stdio: ["ignore", "pipe", "inherit"],
  });
  return new Promise((resolve, reject) => {
    child.stdout?.on("data", (d: Buffer) => {
      if (d.toString().includes("ready")) resolve(child);
    });
    child.on("exit", (code) => reject(new Error(`worker exited early (${code})`)));
  });
}

/** Seeds the subscriptions, runs the workers until every chat got its reminder (or the timeout), reports. */
export async function runFanOut(opts: FanOutOptions): Promise<FanOutResult> {
  const redis = new Redis("redis://127.0.0.1:6379");
  const subs = new RedisSubscriptionStore(redis, `${opts.prefix}{zc-reminders}:`);
  for (let i = 0; i < opts.chats; i += 500) {
    await Promise.all(
      Array.from({ length: Math.min(500, opts.chats - i) }, (_, j) =>
        subs.add({
          chat: { channel: "telegram", kind: "direct", id: String(100_000 + i + j) },
          region: "zhejiang",
          level: "senior",
        }),
      ),
    );
  }
  const fake = platform(opts.overallPerSecond);
  await new Promise<void>((r) => fake.server.listen(0, "127.0.0.1", r));
  const url = `http://127.0.0.1:${(fake.server.address() as AddressInfo).port}/send`;
  const started = Date.now();
  const children: ChildProcess[] = [];
  let killedAt: number | undefined;
  let acceptedBeforeKill = new Set<string>();
  try {
    for (let i = 0; i < opts.workers; i++) children.push(await startWorker(opts, url));
    const deadline = started + opts.timeoutMs;
    while (fake.received.size < opts.chats && Date.now() < deadline) {
      if (opts.killAfter !== undefined && killedAt === undefined && fake.order.length >= opts.killAfter) {
        children[0]?.kill("SIGKILL");
        killedAt = fake.order.length;
        acceptedBeforeKill = new Set(fake.order);
      }
      await new Promise((r) => setTimeout(r, 10));
    }
    const done = Date.now();
    const first = fake.times[0] ?? done;
    // Anything still on its way (a retry, a late duplicate) shows within the lock and claim times.
    await new Promise((r) => setTimeout(r, 4_000));
    const accepted = fake.order.length;
    const after = killedAt === undefined ? [] : fake.order.slice(killedAt);
    return {
      chats: opts.chats,
      accepted,
      distinct: fake.received.size,
      duplicates: [...fake.received.values()].reduce((n, c) => n + (c - 1), 0),
      losses: opts.chats - fake.received.size,
      elapsedMs: done - first,
      startupMs: first - started,
      minimumMs: (opts.chats / opts.overallPerSecond) * 1_000,
      ...(killedAt !== undefined ? { killedAt } : {}),
      repeatedAfterKill: after.filter((c) => acceptedBeforeKill.has(c)).length,
      refusedOverLimit: fake.refused(),
    };
  } finally {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGTERM");
    await Promise.all(
      children.map((c) =>
        c.exitCode !== null || c.signalCode !== null
          ? Promise.resolve()
          : new Promise<void>((r) => c.on("exit", () => r())),
      ),
    );
    fake.server.closeAllConnections();
    await new Promise<void>((r) => fake.server.close(() => r()));
    const keys = await redis.keys(`${opts.prefix}*`);
    for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
    redis.disconnect();
  }
}
