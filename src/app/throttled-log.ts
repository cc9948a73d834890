// A log that writes each distinct line at most once a minute: an outage repeats the same failure per message.
import type { Clock } from "../shared/clock.ts";

const WINDOW_MS = 60_000;

/**
 * Returns a logger that writes `line` only when no line of the same cause (by default: the same line) was written
 * in the last minute; the next time it is written it says how many were held back (`(+N more in the last
 * minute)`). Lines are the causes of failures, so there are few distinct ones; the map is cleared of stale lines
 * as it goes.
 */
export function onceAMinute(
  clock: Clock,
  write: (line: string) => void,
  causeOf: (line: string) => string = (line) => line,
): (line: string) => void {
  const seen = new Map<string, { at: number; held: number }>();
  return (line) => {
    const now = clock.now().getTime();
    const cause = causeOf(line);
    const last = seen.get(cause);
    if (last !== undefined && now - last.at < WINDOW_MS) {
      last.held++;
      return;
    }
    if (seen.size > 1_000) {
      for (const [key, entry] of seen) if (now - entry.at >= WINDOW_MS) seen.delete(key);
    }
    seen.set(cause, { at: now, held: 0 });
    write(last !== undefined && last.held > 0 ? `${line} (+${last.held} more in the last minute)` : line);
  };
}

/** The cause of a `component: … : reason` line: its last part, so one outage seen by several parts is one cause. */
export function lastPart(line: string): string {
  const at = line.lastIndexOf(": ");
  return at < 0 ? line : line.slice(at + 2);
}
