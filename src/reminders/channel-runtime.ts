// The chat channels outside `serve` (the reminder worker, `reminders send`): started the way the server starts them,
// so a platform message that reaches this process is answered like any other, and proactive sends work.
import type { Config } from "../config.ts";
import type { Channels } from "../bots/start-channels.ts";
import type { InboundMessage } from "../shared/chat.ts";
import type { ChatTurnDeps } from "../app/chat-turn.ts";
import type { Services } from "../app/services.ts";
import type { WiredReminders } from "../app/reminder-wiring.ts";
import { onceAMinute } from "../app/throttled-log.ts";

export interface ChannelRuntime {
  channels: Channels;
  reminders: WiredReminders;
  close(): Promise<void>;
}

/** Log lines to stderr (never message text, profile values or tokens). */
export interface RuntimeLog {
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
}

/**
 * Starts the configured channels with the full chat turn (subscription commands, group rules, the dialog) and
 * wires the reminders (not started: the caller starts delivery or sends directly).
 */
export async function startChannelRuntime(
  config: Config,
  services: Services,
  createChat: (services: Services, log?: (line: string) => void) => Promise<ChatTurnDeps>,
  log: RuntimeLog,
): Promise<ChannelRuntime> {
  const [
    { chatTurn },
    { startChannels },
    { createChannelPrimitives },
    { withGroupPolicy },
    { wireReminders },
  ] = await Promise.all([
    import("../app/chat-turn.ts"),
    import("../bots/start-channels.ts"),
    import("../app/channel-primitives.ts"),
    import("../app/group-policy.ts"),
    import("../app/reminder-wiring.ts"),
  ]);
  const { clock } = services;
  services.prepare();
  const warn = onceAMinute(clock, (line) => log.warn(line));
  const chat = await createChat(services, warn);
  const reminders = await wireReminders(config, {
    clock,
    deadlines: () => services.deadlines({}),
    log: warn,
  });
  const turn = reminders.wrap((m: InboundMessage) => chatTurn(m, chat));
  const primitives = createChannelPrimitives({
    redisUrl: config.REDIS_URL,
    redisSentinels: config.REDIS_SENTINELS,
    redisSentinelName: config.REDIS_SENTINEL_NAME,
    redisClusterNodes: config.REDIS_CLUSTER_NODES,
    prefix: config.REDIS_PREFIX,
    clock,
    onRedisError: (error) => warn(`redis (channels): ${error.message}`),
  });
  await primitives.ready();
  const channels = await startChannels(config, {
    turn: withGroupPolicy(turn, clock),
    log,
    clock,
    lock: primitives.lock,
    deliveries: primitives.deliveries,
    inbox: primitives.inbox,
    choices: primitives.choices,
  });
  return {
    channels,
    reminders,
    close: async () => {
      await reminders.close();
      await channels.stop();
      await primitives.close();
      await chat.store.close();
    },
  };
}
