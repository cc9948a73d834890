// How a long-running command (serve, worker) waits for SIGINT/SIGTERM and closes within a bound.

/** Resolves at the first SIGINT or SIGTERM (and stops listening for them). */
export function untilStopSignal(): Promise<void> {
  return new Promise((resolve) => {
    const stop = () => {
      process.off("SIGINT", stop);
      process.off("SIGTERM", stop);
      resolve();
    };
    process.on("SIGINT", stop);
    process.on("SIGTERM", stop);
  });
}

/** How long closing the channels, reminders and store may take once a stop signal came. */
export const CLOSE_DEADLINE_MS = 5_000;

/**
 * Runs `close` and resolves when it has, or after `ms` at the latest: a Redis that is down can hold a close forever
 * (a queue worker waits for its connection), and the process must exit regardless.
 */
export async function closeWithin(close: () => Promise<void>, ms: number = CLOSE_DEADLINE_MS): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ms);
  });
  await Promise.race([close(), deadline]).finally(() => clearTimeout(timer));
}
