// The chat channels with the full chat turn and the reminders, as `serve`, the reminder worker and `reminders send`
// all start them: a platform message that reaches any of these processes is answered alike, and proactive sends work.
import { redisSettings, type Config } from "../config.ts";
import type { Channels } from "../bots/start-channels.ts";
import type { InboundMessage } from "../shared/chat.ts";
import type { ChatTurnDeps } from "../app/chat-turn.ts";
import type { ChatTurnFn } from "../app/group-policy.ts";
import type { Services } from "../app/services.ts";
import type { WiredReminders } from "../app/reminder-wiring.ts";
import { onceAMinute } from "../app/throttled-log.ts";

export interface ChannelRuntime {
  /** The session store and dialog behind every turn. */
  chat: ChatTurnDeps;
  /** The chat turn with the subscription commands before the dialog (no group rules: the web has no groups). */
  turn: ChatTurnFn;
  channels: Channels;
  reminders: WiredReminders;
  /** Stops the reminders, the channels, their Redis parts, then the store. */
  close(): Promise<void>;
}

/** What the server adds: its own failure log, a count of Redis errors, a count of turn outcomes. */
export interface ChannelRuntimeHooks {
  /** Failure lines, throttled (default: each distinct line once a minute on `log.warn`). */
  trouble?: (line: string) => void;
  /** Called for every Redis connection error of the store and the channels' parts, unthrottled. */
  onStoreError?: () => void;
  /** Wraps the turn the channels run (inside the group rules). */
  wrapTurn?: (turn: ChatTurnFn) => ChatTurnFn;
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
  createChat: (
    services: Services,
    log?: (line: string) => void,
    onStoreError?: () => void,
  ) => Promise<ChatTurnDeps>,
  log: RuntimeLog,
  hooks: ChannelRuntimeHooks = {},
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
  const warn = hooks.trouble ?? onceAMinute(clock, (line) => log.warn(line));
  const chat = await createChat(services, warn, hooks.onStoreError);
  const reminders = await wireReminders(config, {
    clock,
    deadlines: () => services.deadlines({}),
    log: warn,
  });
  const turn = reminders.wrap((m: InboundMessage) => chatTurn(m, chat));
  const primitives = createChannelPrimitives({
    ...redisSettings(config),
    clock,
    onRedisError: (error) => {
      hooks.onStoreError?.();
      warn(`redis (channels): ${error.message}`);
    },
  });
  await primitives.ready();
  const channels = await startChannels(config, {
    turn: withGroupPolicy(hooks.wrapTurn ? hooks.wrapTurn(turn) : turn, clock),
    log,
    clock,
    lock: primitives.lock,
    deliveries: primitives.deliveries,
    inbox: primitives.inbox,
    choices: primitives.choices,
  });
  return {
    chat,
    turn,
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
