// `reminders due|send [--at ISO] [--json]`: what is due at an instant, and sending it at once through the same
// senders and records as the scheduler (contract "Reminders").
import { redisSettings, type Config } from "../../config.ts";
import type { SendTarget } from "../../bots/channel-adapter.ts";
import type { Reply } from "../../shared/chat.ts";
import type { ChatTurnDeps } from "../../app/chat-turn.ts";
import type { Services } from "../../app/services.ts";
import { REMINDER_CLI } from "../../i18n/reminder-messages.ts";
import { parseInstant } from "../../reminders/parse-instant.ts";
import { fixedClock } from "../../shared/clock.ts";
import { chooseRedisTopology } from "../../sessions/redis-topology.ts";
import type { CliOptions } from "../cli-options.ts";
import type { Io } from "../services.ts";

type CreateChat = (services: Services, log?: (line: string) => void) => Promise<ChatTurnDeps>;

/** The instant `--at` names (default: now), or undefined after printing why it cannot be read. */
export function instantOption(opts: CliOptions, services: Services, io: Io): Date | undefined {
  if (opts.at === undefined) return services.clock.now();
  const at = parseInstant(opts.at);
  if (!at) io.stderr.write(`${REMINDER_CLI.badAt(opts.at)}\n`);
  return at;
}

/** Whether Redis is configured; prints the Chinese reason when not. */
export function redisConfigured(config: Config, io: Io): boolean {
  const topology = chooseRedisTopology(redisSettings(config));
  if (!topology) io.stderr.write(`${REMINDER_CLI.needsRedis}\n`);
  return topology !== undefined;
}

export async function remindersCommand(
  opts: CliOptions,
  config: Config,
  services: Services,
  io: Io,
  createChat: CreateChat,
): Promise<number> {
  const action = opts.positionals[0];
  if (action !== "due" && action !== "send") {
    io.stderr.write(`${REMINDER_CLI.usage}\n`);
    return 2;
  }
  if (!redisConfigured(config, io)) return 2;
  const at = instantOption(opts, services, io);
  if (!at) return 2;
  const [{ reminderStores }, { planReminders, sendIfDue, DEFAULT_CLAIM_MS }] = await Promise.all([
    import("../../reminders/reminder-runtime.ts"),
    import("../../reminders/reminder-sender.ts"),
  ]);
  const deadlines = () => services.deadlines({});
  const clock = fixedClock(at);

  if (action === "due") {
    const stores = reminderStores({
      ...redisSettings(config),
      clock,
    });
    try {
      await stores.ready();
      const due = await planReminders({ ...stores, deadlines, clock });
      if (opts.json) {
        const rows = due.map((d) => ({
          chat: d.chatKey,
          deadlineId: d.deadline.id,
          date: d.deadline.date,
          ...(d.deadline.time ? { time: d.deadline.time } : {}),
          what: d.deadline.what,
          // The reminder closest to the deadline that this message stands for; `offsets` lists all it stands for.
          offset: Math.min(...d.offsets),
          offsets: d.offsets,
        }));
        io.stdout.write(`${JSON.stringify({ due: rows })}\n`);
      } else if (due.length === 0) io.stdout.write(`${REMINDER_CLI.none}\n`);
      else
        for (const d of due)
          io.stdout.write(
            `${REMINDER_CLI.dueLine(d.chatKey, `${d.deadline.date}${d.deadline.time ? ` ${d.deadline.time}` : ""}`, d.deadline.what, d.offsets.join("、"))}\n`,
          );
      return 0;
    } finally {
      stores.close();
    }
  }

  const { startChannelRuntime } = await import("../../reminders/channel-runtime.ts");
  const log = {
    info: () => undefined,
    warn: (l: string) => io.stderr.write(`${l}\n`),
    error: (l: string) => io.stderr.write(`${l}\n`),
  };
  const runtime = await startChannelRuntime(config, services, createChat, log);
  try {
    const { stores } = runtime.reminders;
    const deps = {
      subscriptions: stores.subscriptions,
      sent: stores.sent,
      send: (ch: string, target: SendTarget, replies: Reply[]) => runtime.channels.send(ch, target, replies),
      deadlines,
      clock,
      claimMs: DEFAULT_CLAIM_MS,
    };
    let sent = 0;
    let failed = 0;
    for (const d of await planReminders(deps)) {
      try {
        const outcome = await sendIfDue(d.chat, d.deadline.id, deps);
        if (outcome.kind === "sent") {
          sent += 1;
          io.stdout.write(`${REMINDER_CLI.sentLine(d.chatKey, d.deadline.id)}\n`);
        } else {
          const why = outcome.kind === "claimed" ? REMINDER_CLI.claimed : REMINDER_CLI.notDue;
          io.stdout.write(`${REMINDER_CLI.skippedLine(d.chatKey, d.deadline.id, why)}\n`);
        }
      } catch (err) {
        failed += 1;
        io.stdout.write(
          `${REMINDER_CLI.failedLine(d.chatKey, d.deadline.id, err instanceof Error ? err.message : String(err))}\n`,
        );
      }
    }
    io.stdout.write(`${REMINDER_CLI.sentCount(sent, failed)}\n`);
    return failed > 0 ? 1 : 0;
  } finally {
    await runtime.close();
  }
}
