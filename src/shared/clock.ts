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

const pad = (n: number) => String(n).padStart(2, "0");

// The Shanghai day last asked about, as [from, to) in epoch ms: every chat turn and batch line asks for
// "today", and the time-zone arithmetic would otherwise run each time (it showed in the profiles).
let lastDay = { from: 0, to: 0, date: "" };

/** Today's date (YYYY-MM-DD) in Asia/Shanghai. */
export function todayInShanghai(clock: Clock): string {
  const at = clock.now().getTime();
  if (at >= lastDay.from && at < lastDay.to) return lastDay.date;
  const d = new TZDate(at, TIME_ZONE);
  const [y, m, day] = [d.getFullYear(), d.getMonth(), d.getDate()];
  lastDay = {
    from: new TZDate(y, m, day, TIME_ZONE).getTime(),
    to: new TZDate(y, m, day + 1, TIME_ZONE).getTime(),
    date: `${y}-${pad(m + 1)}-${pad(day)}`,
  };
  return lastDay.date;
}
