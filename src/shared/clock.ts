// The injected clock: only the composition root reads the system time.
import { TZDate } from "@date-fns/tz";

export const TIME_ZONE = "Asia/Shanghai";

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock stuck at one instant, for tests and for `asOf`. */
export function fixedClock(at: Date | string): Clock {
  const instant = typeof at === "string" ? new Date(at) : at;
  return { now: () => instant };
}

/** Today's date (YYYY-MM-DD) in Asia/Shanghai. */
export function todayInShanghai(clock: Clock): string {
  const d = new TZDate(clock.now().getTime(), TIME_ZONE);
  const pad = (n: number) => String(n).padStart(2, "0");
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}`;
}
