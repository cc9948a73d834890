// Channels: messages per second and latency from the platform's event to the fake platform receiving the reply,
// per adapter (Telegram long polling, DingTalk Stream with its Redis inbox, WeChat passive replies over HTTP in safe
// mode, WeCom through its Redis inbox and message/send), beside the same turns through chatTurn in process; and
// the memory 1,000 open conversations take (Node heap and Redis).
import { randomUUID } from "node:crypto";
import { performance } from "node:perf_hooks";
import { pathToFileURL } from "node:url";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { Redis } from "ioredis";
import { chatTurn } from "../src/app/chat-turn.ts";
import { createChannelPrimitives } from "../src/app/channel-primitives.ts";
import { withGroupPolicy, type ChatTurnFn } from "../src/app/group-policy.ts";
import type { ChannelDeps } from "../src/bots/channel-adapter.ts";
import { startChannels } from "../src/bots/start-channels.ts";
import { loadConfig } from "../src/config.ts";
import { createHttpServer, httpSettings } from "../src/http/http-server.ts";
import { createChat, createServices } from "../src/main.ts";
import { fixedClock, systemClock } from "../src/shared/clock.ts";
import { FakeDingTalk } from "../test/fakes/fake-dingtalk.ts";
import { FakeTelegram } from "../test/fakes/fake-telegram.ts";
import { FakeWeixin, newAesKey } from "../test/fakes/fake-weixin.ts";
import { deleteKeysUnder } from "../test/sessions/support/redis-test-prefix.ts";
import { closedLoop, closedLoopFigures } from "./load.ts";

const AS_OF_INSTANT = "2024-08-15T04:00:00Z";
const CONVERSATIONS = 50;
const TURNS = 20;
const WARM_UP_TURNS = 3;
const OPEN_CONVERSATIONS = 1_000;
/** Messages that each get exactly one reply: policy questions, deadlines, clauses, help. */
const MESSAGES = [
  "公示几天？",
  "/deadlines 浙江",
  "巴中评审费多少钱",
  "/clause 破格",
  "北京高级工程师需要什么条件？",
  "/help",
];
/** An opening that leaves a form waiting on its next question: an open conversation. */
const OPENING = "北京，硕士，2015年7月毕业，一直做AI，能评高工吗";

/** Sends `text` as conversation `i` on a platform; resolves with the reply's text once the platform has it. */
type Sender = (i: number, text: string) => Promise<string>;

const quiet = { info: () => undefined, warn: () => undefined, error: () => undefined };

/** Conversation `i`'s next message. */
function messageFor(turnCounts: number[], i: number): string {
  const n = turnCounts[i] ?? 0;
  turnCounts[i] = n + 1;
  return MESSAGES[(i + n) % MESSAGES.length] ?? "/help";
}

/** The closed loop over `send`, after a warm-up, with the replies checked. */
async function measure(send: Sender): Promise<Record<string, unknown>> {
  const counts: number[] = [];
  let wrong = 0;
  const turn = async (i: number) => {
    const reply = await send(i, messageFor(counts, i));
    if (!reply || reply.includes("服务繁忙") || reply.includes("出错了")) wrong++;
  };
  await closedLoop(CONVERSATIONS, WARM_UP_TURNS, turn);
  const run = await closedLoop(CONVERSATIONS, TURNS, turn);
  return { ...closedLoopFigures(TURNS, run), failedReplies: wrong };
}

/** Replies the fake received, handed to whoever waits for that chat or session. */
class Waiters<K> {
  readonly #waiting = new Map<K, (text: string) => void>();

  wait(key: K): Promise<string> {
    return new Promise((resolve) => this.#waiting.set(key, resolve));
  }

  deliver(key: K, text: string): void {
    const resolve = this.#waiting.get(key);
    this.#waiting.delete(key);
    resolve?.(text);
  }
}

async function withTelegram<T>(
  deps: ChannelDeps,
  use: (send: Sender, fake: FakeTelegram) => Promise<T>,
): Promise<T> {
  const fake = await FakeTelegram.start();
  const channels = await startChannels(
    { TELEGRAM_BOT_TOKEN: fake.token, TELEGRAM_API_ROOT: fake.apiRoot },
    deps,
    {
      telegram: { leaseMs: 5_000, pollTimeoutSeconds: 1 },
    },
  );
  const waiters = new Waiters<number>();
  fake.onSent = (m) => waiters.deliver(m.chat.id, m.text);
  try {
    return await use((i, text) => {
      const id = 10_000 + i;
      const replied = waiters.wait(id);
      fake.says({ id, type: "private" }, { id, first_name: `u${i}` }, text);
      return replied;
    }, fake);
  } finally {
    await channels.stop();
    await fake.close();
  }
}

async function withDingTalk<T>(deps: ChannelDeps, use: (send: Sender) => Promise<T>): Promise<T> {
  const fake = await FakeDingTalk.start();
  const channels = await startChannels(
    {
      DINGTALK_CLIENT_ID: fake.clientId,
      DINGTALK_CLIENT_SECRET: fake.clientSecret,
      DINGTALK_GATEWAY_URL: fake.gatewayUrl,
      DINGTALK_API_BASE: fake.base,
    },
    deps,
    { dingtalk: { blockMs: 1_000 } },
  );
  const waiters = new Waiters<string>();
  fake.onReceived = (r) => waiters.deliver(r.to, r.text.replace(/ {2}\n/g, "\n"));
  try {
    return await use((i, text) => {
      // The session id is only known once pushed: wait on it right away (the reply cannot come sooner).
      const pushed = fake.push({ staffId: `u${i}` }, { kind: "direct" }, text);
      return waiters.wait(pushed.session);
    });
  } finally {
    await channels.stop();
    await fake.close();
  }
}

type Services = Awaited<ReturnType<typeof createServices>>;

/**
 * WeChat (safe mode, answered by passive reply: the event is the signed, sealed POST, the reply its answer) or
 * WeCom (sealed POST answered empty, the reply the message/send the fake receives), mounted on the HTTP server.
 */
async function withWeixin<T>(
  kind: "wechat" | "wecom",
  deps: ChannelDeps,
  services: Services,
  use: (send: Sender) => Promise<T>,
): Promise<T> {
  const fake = await FakeWeixin.start(
    kind === "wechat"
      ? { kind, token: "benchtoken", id: "wxbench", aesKey: newAesKey() }
      : { kind, token: "benchtoken", id: "wwbench", aesKey: newAesKey(), agentId: 1 },
  );
  const o = fake.o;
  const channels = await startChannels(
    o.kind === "wechat"
      ? {
          WECHAT_TOKEN: o.token,
          WECHAT_APP_ID: o.id,
          WECHAT_APP_SECRET: fake.secret,
          WECHAT_ENCODING_AES_KEY: o.aesKey,
          WECHAT_API_BASE: fake.base,
        }
      : {
          WECOM_CORP_ID: o.id,
          WECOM_AGENT_ID: o.agentId,
          WECOM_SECRET: fake.secret,
          WECOM_TOKEN: o.token,
          WECOM_ENCODING_AES_KEY: o.aesKey,
          WECOM_API_BASE: fake.base,
        },
    deps,
    { wecom: { blockMs: 1_000 } },
  );
  const http = createHttpServer(
    { services, webhooks: channels.webhooks },
    httpSettings(loadConfig({}), { requestLogging: false }),
  );
  const { port } = await http.listen(0, "127.0.0.1");
  fake.callbackUrl = `http://127.0.0.1:${port}/${kind}`;
  const waiters = new Waiters<string>();
  fake.onReceived = (m) => waiters.deliver(m.to, m.content);
  try {
    return await use(async (i, text) => {
      const user = `${kind}-u${i}`;
      if (kind === "wechat") return (await fake.post(fake.textMessage(user, text))).passive ?? "";
      const replied = waiters.wait(user);
      await fake.post(fake.textMessage(user, text));
      return replied;
    });
  } finally {
    await http.shutdown(1_000);
    await channels.stop();
    await fake.close();
  }
}

/** A `gc()` without --expose-gc (the bench runs with the server's flags only). */
function collector(): () => void {
  setFlagsFromString("--expose-gc");
  return runInNewContext("gc") as () => void;
}

async function redisMemory(redis: Redis): Promise<number> {
  const info = await redis.info("memory");
  return Number(/^used_memory:(\d+)/m.exec(info)?.[1] ?? NaN);
}

/** Node heap and Redis memory for `OPEN_CONVERSATIONS` conversations left waiting on a question. */
async function openConversationsMemory(
  send: Sender,
  redis: Redis,
  fake: FakeTelegram,
): Promise<Record<string, unknown>> {
  const gc = collector();
  gc();
  const heapBefore = process.memoryUsage().heapUsed;
  const redisBefore = await redisMemory(redis);
  const base = 100_000;
  for (let i = 0; i < OPEN_CONVERSATIONS; i += 100)
    await Promise.all(Array.from({ length: 100 }, (_, k) => send(base + i + k, OPENING)));
  // The fake platform's own record of the traffic is not the server's memory.
  fake.sent.length = 0;
  fake.calls.length = 0;
  gc();
  const heapAfter = process.memoryUsage().heapUsed;
  const redisAfter = await redisMemory(redis);
  return {
    method: `${OPEN_CONVERSATIONS} users each start the form on Telegram ("${OPENING}"), leaving it waiting on a question; this process's heap after a full collection (the fake's records dropped) and Redis used_memory, before and after`,
    nodeHeapKBPer1000: Math.round((heapAfter - heapBefore) / 1024),
    redisKBPer1000: Math.round((redisAfter - redisBefore) / 1024),
  };
}

/** Runs the measurement and returns the figures with the method beside them. */
export async function benchChannels(): Promise<Record<string, unknown>> {
  // dingtalk-stream prints "connect success" and "Disconnecting." with console.info: keep stdout for the JSON.
  console.info = (...args: unknown[]) => process.stderr.write(`${args.map(String).join(" ")}\n`);
  const url = loadConfig().REDIS_URL ?? "redis://127.0.0.1:6379";
  const prefix = `zc-bench-channels:${randomUUID().slice(0, 8)}:`;
  const config = loadConfig({ REDIS_URL: url, REDIS_PREFIX: prefix, RATE_LIMIT_PER_MINUTE: "1000000000" });
  const clock = fixedClock(AS_OF_INSTANT);
  const services = await createServices(config, clock);
  services.prepare();
  const chat = await createChat(services);
  const turn: ChatTurnFn = withGroupPolicy((m) => chatTurn(m, chat), clock);
  const primitives = createChannelPrimitives({ redisUrl: url, prefix, clock: systemClock });
  await primitives.ready();
  const deps: ChannelDeps = { turn, log: quiet, clock: systemClock, ...primitives };
  const admin = new Redis(url);
  try {
    let baselineIds = 0;
    const inProcess = await measure(async (i, text) => {
      const outcome = await turn({ channel: "bench", user: `u${i}`, text, messageId: `b${baselineIds++}` });
      return outcome.replies.map((r) => r.text).join("\n");
    });
    // The same turn through the HTTP API, in the same run (request logging off, as in the http section).
    const api = createHttpServer(
      { services, chat: (m) => chatTurn(m, chat) },
      httpSettings({ ...config, HTTP_RATE_LIMIT_PER_MINUTE: 1_000_000_000 }, { requestLogging: false }),
    );
    const { port } = await api.listen(0, "127.0.0.1");
    let apiIds = 0;
    const apiChat = await measure(async (i, text) => {
      const res = await fetch(`http://127.0.0.1:${port}/api/chat`, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ user: `api${i}`, text, messageId: `a${apiIds++}` }),
      });
      const body = (await res.json()) as { replies?: Array<{ text: string }> };
      return (body.replies ?? []).map((r) => r.text).join("\n");
    });
    await api.shutdown(1_000);
    const telegram = await withTelegram(deps, (send) => measure(send));
    const dingtalk = await withDingTalk(deps, (send) => measure(send));
    const wechat = await withWeixin("wechat", deps, services, (send) => measure(send));
    const wecom = await withWeixin("wecom", deps, services, (send) => measure(send));
    const started = performance.now();
    const memory = await withTelegram(deps, (send, fake) => openConversationsMemory(send, admin, fake));
    return {
      method:
        `${CONVERSATIONS} conversations, each sending ${TURNS} messages one after another (after ${WARM_UP_TURNS} ` +
        "warm-up messages), all at once; a message is a policy question, deadlines, a clause look-up or /help " +
        "(one reply each); latency from the platform's event (an update queued for getUpdates, a CALLBACK frame " +
        "sent, a callback POSTed) to the fake platform receiving the reply; the real chat turn on Redis with the group rules",
      chatTurnInProcess: inProcess,
      apiChat: { transport: "POST /api/chat on the Fastify server (fetch, keep-alive)", ...apiChat },
      telegram: {
        transport: "long polling through telegraf's client against the local fake Bot API",
        ...telegram,
      },
      dingtalk: {
        transport:
          "dingtalk-stream over a local WebSocket; record in the Redis inbox, ack, worker, session webhook",
        ...dingtalk,
      },
      wechat: {
        transport:
          "signed, AES-sealed POST /wechat on the Fastify server; passive reply sealed in its answer (latency = the POST's round trip)",
        ...wechat,
      },
      wecom: {
        transport:
          "signed, AES-sealed POST /wecom answered empty once in the Redis inbox; worker, message/send to the fake",
        ...wecom,
      },
      openConversations: { ...memory, tookMs: Math.round(performance.now() - started) },
    };
  } finally {
    await primitives.close();
    await chat.store.close();
    await deleteKeysUnder(admin, prefix);
    await admin.quit();
  }
}

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntry) process.stdout.write(`${JSON.stringify(await benchChannels(), null, 2)}\n`);
