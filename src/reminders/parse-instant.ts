// `--at`: an ISO 8601 date-time; without an offset it is Asia/Shanghai wall-clock time.
import { TZDate } from "@date-fns/tz";
import { TIME_ZONE } from "../shared/clock.ts";

const LOCAL = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?$/;
const WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/i;

/** The instant `text` names, or undefined when it is no ISO 8601 date(-time). A bare date is 00:00 Shanghai. */
export function parseInstant(text: string): Date | undefined {
  const t = text.trim();
  if (WITH_OFFSET.test(t)) {
    const d = new Date(t);
    return Number.isNaN(d.getTime()) ? undefined : d;
  }
  const m = LOCAL.exec(t);
  if (!m) return undefined;
  const [y = 0, mo = 0, d = 0, h = 0, mi = 0, s = 0] = m
    .slice(1)
    .map((x) => (x === undefined ? 0 : Number(x)));
  if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || s > 59) return undefined;
  const at = new TZDate(y, mo - 1, d, h, mi, s, TIME_ZONE);
  // Rejects dates that roll over (2024-02-30).
  if (at.getDate() !== d) return undefined;
  return new Date(at.getTime());
}
