// A server process with only the DingTalk channel, as main.ts would run it, for the crash test: it prints
// "up" once its Stream connection is open and runs until it is killed. TURN_DELAY_MS holds every turn back
// before it runs (kill after the acknowledgement, before any answer); TURN_DELAY_AFTER_MS holds the answer back
// after the turn was recorded, printing "turn done" (kill after the turn, before its replies are sent).
import { setTimeout as delay } from "node:timers/promises";
import { chatTurn } from "../../src/app/chat-turn.ts";
import { createChannelPrimitives } from "../../src/app/channel-primitives.ts";
import { withGroupPolicy } from "../../src/app/group-policy.ts";
import { startChannels } from "../../src/bots/start-channels.ts";
import { loadConfig } from "../../src/config.ts";
import { createChat, createServices } from "../../src/main.ts";
import { fixedClock, systemClock } from "../../src/shared/clock.ts";

const env = process.env;
const config = loadConfig(env);
const clock = fixedClock("2024-08-15T04:00:00Z");
const services = await createServices(config, clock);
services.prepare();
const chat = await createChat(services);
const delayMs = Number(env.TURN_DELAY_MS ?? 0);
const delayAfterMs = Number(env.TURN_DELAY_AFTER_MS ?? 0);
const turn = withGroupPolicy(async (m) => {
  if (delayMs > 0) await delay(delayMs);
  const outcome = await chatTurn(m, chat);
  if (delayAfterMs > 0) {
    process.stdout.write("turn done\n");
    await delay(delayAfterMs);
  }
  return outcome;
}, clock);
const primitives = createChannelPrimitives({
  redisUrl: config.REDIS_URL,
  redisSentinels: config.REDIS_SENTINELS,
  redisSentinelName: config.REDIS_SENTINEL_NAME,
  redisClusterNodes: config.REDIS_CLUSTER_NODES,
  prefix: config.REDIS_PREFIX,
  clock: systemClock,
});
await primitives.ready();
const log = (l: string) => process.stderr.write(`${l}\n`);
const channels = await startChannels(
  config,
  { turn, log: { info: log, warn: log, error: log }, clock: systemClock, ...primitives },
  { dingtalk: { claimIdleMs: Number(env.CLAIM_IDLE_MS ?? 90_000), blockMs: 200, baseBackoffMs: 100 } },
);
if (channels.statuses()[0]?.state !== "up")
  throw new Error(`dingtalk did not come up: ${JSON.stringify(channels.statuses())}`);
process.stdout.write("up\n");
