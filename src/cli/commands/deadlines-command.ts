// `deadlines [--region R] [--level L] [--after YYYY-MM-DD] [--ics]`: the notices' dated steps.
import { writeFileSync } from "node:fs";
import { deadlineFilter } from "../../app/query-options.ts";
import type { Services } from "../../app/services.ts";
import type { CliOptions } from "../cli-options.ts";
import { renderDeadlines } from "../render-text.ts";
import type { Io } from "../services.ts";

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
