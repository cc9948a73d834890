// Reminders without Redis: a timer in the server's own memory runs the same planning and sender as the queue.
import { planReminders, sendIfDue, type ReminderSenderDeps } from "./reminder-sender.ts";

export interface MemoryReminderLoop {
  /** One pass: plans and sends what is due, one after another; resolves with the number sent. */
  tick(): Promise<number>;
  close(): Promise<void>;
}

/** Runs a pass every `tickMs` (one at a time); a failed send is tried again on the next pass. */
export function startMemoryReminderLoop(
  deps: ReminderSenderDeps,
  tickMs: number,
  onError: (line: string) => void = () => undefined,
): MemoryReminderLoop {
  let running: Promise<number> | undefined;
  const pass = async (): Promise<number> => {
    let sent = 0;
    for (const due of await planReminders(deps)) {
      try {
        if ((await sendIfDue(due.chat, due.deadline.id, deps)).kind === "sent") sent += 1;
      } catch (err) {
        onError(
          `reminder send on ${due.chat.channel} failed: ${err instanceof Error ? err.message : String(err)}`,
        );
      }
    }
    return sent;
  };
  const tick = () => (running ??= pass().finally(() => (running = undefined)));
  const timer = setInterval(() => {
    tick().catch((err: unknown) => onError(`reminders: ${err instanceof Error ? err.message : String(err)}`));
  }, tickMs);
  timer.unref();
  return {
    tick,
    close: async () => {
      clearInterval(timer);
      await running;
    },
  };
}
