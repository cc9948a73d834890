// `deadlines [--region R] [--level L] [--after YYYY-MM-DD] [--ics]`: the notices' dated steps.
import { writeFileSync } from "node:fs";
import { LEVELS, REGIONS, type Level, type Region } from "../../shared/domain.ts";
import type { CliOptions } from "../cli-options.ts";
import { renderDeadlines } from "../render-text.ts";
import type { DeadlineFilter, Io, Services } from "../services.ts";
import { MESSAGES } from "../../i18n/cli-messages.ts";

/** Validates the filter options; throws RangeError with a Chinese message naming the option. */
export function deadlineFilter(opts: Pick<CliOptions, "region" | "level" | "after">): DeadlineFilter {
  const filter: DeadlineFilter = {};
  if (opts.region !== undefined) {
    if (!(REGIONS as readonly string[]).includes(opts.region))
      throw new RangeError(MESSAGES.badOption("region", `应为 ${REGIONS.join(" / ")}`));
    filter.region = opts.region as Region;
  }
  if (opts.level !== undefined) {
    if (!(LEVELS as readonly string[]).includes(opts.level))
      throw new RangeError(MESSAGES.badOption("level", `应为 ${LEVELS.join(" / ")}`));
    filter.level = opts.level as Level;
  }
  if (opts.after !== undefined) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(opts.after) || Number.isNaN(Date.parse(opts.after)))
      throw new RangeError(MESSAGES.badOption("after", "应为 YYYY-MM-DD"));
    filter.after = opts.after;
  }
  return filter;
}

export function deadlinesCommand(opts: CliOptions, services: Services, io: Io): number {
  const deadlines = services.deadlines(deadlineFilter(opts));
  if (opts.ics) {
    const ics = services.ics(deadlines);
    if (opts.out) writeFileSync(opts.out, ics);
    else io.stdout.write(ics);
    return 0;
  }
  io.stdout.write(opts.json ? `${JSON.stringify({ deadlines })}\n` : renderDeadlines(deadlines));
  return 0;
}
