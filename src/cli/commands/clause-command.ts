// `clause "<query>" [--limit N]`: ranked clauses for hotline staff.
import type { CliOptions } from "../cli-options.ts";
import { runJsonLines } from "../json-lines.ts";
import { renderClauses } from "../render-text.ts";
import type { Io, Services } from "../services.ts";
import { MESSAGES } from "../../i18n/cli-messages.ts";

/** Parses `--limit`; absent means 5. */
export function parseLimit(raw: string | undefined, fallback = 5): number {
  if (raw === undefined) return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < 1 || n > 100)
    throw new RangeError(MESSAGES.badOption("limit", "应为 1–100 的整数"));
  return n;
}

export async function clauseCommand(opts: CliOptions, services: Services, io: Io): Promise<number> {
  const limit = parseLimit(opts.limit);
  if (opts.batch) {
    await runJsonLines(opts.batch, io.stdout, (line) => {
      const result = services.clauses(typeof line.q === "string" ? line.q : "", limit);
      return line.id === undefined ? result : { id: line.id, ...result };
    });
    return 0;
  }
  const query = opts.positionals.join(" ");
  if (!query.trim()) {
    io.stderr.write(`${MESSAGES.missingArgument("查询")}\n`);
    return 2;
  }
  const result = services.clauses(query, limit);
  io.stdout.write(opts.json ? `${JSON.stringify(result)}\n` : renderClauses(result));
  return 0;
}
