// The reminders as the server and the worker wire them: the stores, the subscription commands around the chat
// turn, and delivery (BullMQ with Redis, a timer in memory without) started once the channels can send.
import { redisSettings, type Config } from "../config.ts";
import type { RunningReminders, ReminderStores } from "../reminders/reminder-runtime.ts";
import type { SendFn } from "../reminders/reminder-sender.ts";
import type { Clock } from "../shared/clock.ts";
import type { DeadlineWithScope } from "../shared/report.ts";
import type { ChatTurnFn } from "./group-policy.ts";

/** The channels that can message a chat unprompted; elsewhere a subscription gets the iCalendar link. */
export const PROACTIVE_CHANNELS: ReadonlySet<string> = new Set(["telegram", "dingtalk", "wecom"]);

export interface WiredReminders {
  stores: ReminderStores;
  /** The chat turn with the subscription commands handled before it. */
  wrap(turn: ChatTurnFn): ChatTurnFn;
  /** Starts the scheduler and senders (sending through `send`). */
  start(send: SendFn): Promise<RunningReminders>;
  /** Stops what `start` started, then the stores. */
  close(): Promise<void>;
}

/** Builds the reminders' parts from the configuration (nothing runs until `start`). */
export async function wireReminders(
  config: Config,
  deps: { clock: Clock; deadlines: () => readonly DeadlineWithScope[]; log: (line: string) => void },
): Promise<WiredReminders> {
  const [{ reminderStores, startReminders }, { withSubscriptionCommands }] = await Promise.all([
    import("../reminders/reminder-runtime.ts"),
    import("./subscription-commands.ts"),
  ]);
  const stores = reminderStores({
    ...redisSettings(config),
    clock: deps.clock,
    onRedisError: (e) => deps.log(`redis (reminders): ${e.message}`),
  });
  await stores.ready();
  let running: RunningReminders | undefined;
  return {
    stores,
    wrap: (turn) =>
      withSubscriptionCommands(turn, {
        subscriptions: stores.subscriptions,
        sent: stores.sent,
        clock: deps.clock,
        deadlines: deps.deadlines,
        adminsOnly: config.SUBSCRIBE_ADMINS_ONLY,
        proactive: PROACTIVE_CHANNELS,
      }),
    start: async (send) => {
      running = await startReminders(stores, {
        prefix: config.REDIS_PREFIX,
        tickMs: config.REMINDERS_TICK_SECONDS * 1_000,
        send,
        deadlines: deps.deadlines,
        clock: deps.clock,
        onError: deps.log,
      });
      return running;
    },
    close: async () => {
      await running?.close();
      stores.close();
    },
  };
}
