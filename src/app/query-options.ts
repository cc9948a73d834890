// Validation of the options a lookup takes (clause limit, deadline filter), one definition for the CLI and HTTP.
import { LEVELS, REGIONS } from "../shared/domain.ts";
import { OPTION_MESSAGES } from "../i18n/option-messages.ts";
import { isCalendarDay } from "../rules/validate-profile.ts";
import type { DeadlineFilter } from "./services.ts";

/**
 * An option or query parameter with a value the application cannot use. A RangeError, so a caller that only
 * knows "bad input" still treats it as the user's mistake; `option` and `reason` let each entry point phrase it.
 */
export class InvalidOptionError extends RangeError {
  override name = "InvalidOptionError";
  constructor(
    readonly option: string,
    readonly reason: string,
  ) {
    super(OPTION_MESSAGES.invalid(option, reason));
  }
}

/** Bounds of a clause lookup's `limit`. */
export const LIMIT_MIN = 1;
export const LIMIT_MAX = 100;

/** Parses a clause lookup's `limit`; absent means `fallback`. @throws InvalidOptionError */
export function parseLimit(raw: string | undefined, fallback = 5): number {
  if (raw === undefined) return fallback;
  // Number("") and Number(" ") are 0 and Number("1e1") is 10: only plain digits are a limit.
  const n = /^\d{1,3}$/.test(raw) ? Number(raw) : Number.NaN;
  if (!Number.isInteger(n) || n < LIMIT_MIN || n > LIMIT_MAX)
    throw new InvalidOptionError("limit", OPTION_MESSAGES.limitRange(LIMIT_MIN, LIMIT_MAX));
  return n;
}

/** Raw deadline filter options, as the command line or a query string gives them. */
export interface RawDeadlineFilter {
  region?: string | undefined;
  level?: string | undefined;
  after?: string | undefined;
}

/** Whether `value` is one of `values` (narrowing it to their type). */
function isOneOf<T extends string>(values: readonly T[], value: string): value is T {
  return (values as readonly string[]).includes(value);
}

/** Validates a deadline filter. @throws InvalidOptionError naming the option */
export function deadlineFilter(raw: RawDeadlineFilter): DeadlineFilter {
  const filter: DeadlineFilter = {};
  if (raw.region !== undefined) {
    if (!isOneOf(REGIONS, raw.region)) throw new InvalidOptionError("region", OPTION_MESSAGES.regions);
    filter.region = raw.region;
  }
  if (raw.level !== undefined) {
    if (!isOneOf(LEVELS, raw.level)) throw new InvalidOptionError("level", OPTION_MESSAGES.levels);
    filter.level = raw.level;
  }
  if (raw.after !== undefined) {
    if (!isCalendarDay(raw.after)) throw new InvalidOptionError("after", OPTION_MESSAGES.isoDate);
    filter.after = raw.after;
  }
  return filter;
}

/** The day a question is asked (`asOf`), when given: a real YYYY-MM-DD day. @throws InvalidOptionError */
export function parseAsOf(raw: string | undefined): string | undefined {
  if (raw !== undefined && !isCalendarDay(raw)) throw new InvalidOptionError("asOf", OPTION_MESSAGES.isoDate);
  return raw;
}
