// `worker`: the reminder scheduler and senders as a process of their own (BullMQ on the deployment's Redis).
import type { Config } from "../../config.ts";
import type { ChatTurnDeps } from "../../app/chat-turn.ts";
import type { Services } from "../../app/services.ts";
import { REMINDER_CLI } from "../../i18n/reminder-messages.ts";
import type { Io } from "../services.ts";
import { closeWithin, untilStopSignal } from "../stop-signals.ts";
import { redisConfigured } from "./reminders-command.ts";

type CreateChat = (services: Services, log?: (line: string) => void) => Promise<ChatTurnDeps>;

/** Runs until SIGINT/SIGTERM; the channels it starts answer the messages that reach it like `serve` does. */
export async function workerCommand(
  config: Config,
  services: Services,
  io: Io,
  createChat: CreateChat,
): Promise<number> {
  if (!redisConfigured(config, io)) return 2;
  const { startChannelRuntime } = await import("../../reminders/channel-runtime.ts");
  const log = {
    info: (l: string) => io.stderr.write(`${l}\n`),
    warn: (l: string) => io.stderr.write(`${l}\n`),
    error: (l: string) => io.stderr.write(`${l}\n`),
  };
  const runtime = await startChannelRuntime(config, services, createChat, log);
  await runtime.reminders.start((ch, target, replies) => runtime.channels.send(ch, target, replies));
  io.stdout.write(`${REMINDER_CLI.workerStarted(config.REMINDERS_TICK_SECONDS)}\n`);
  await untilStopSignal();
  await closeWithin(() => runtime.close());
  io.stdout.write(`${REMINDER_CLI.workerStopped}\n`);
  return 0;
}
