// `clause "<query>" [--limit N]`: ranked clauses for hotline staff.
import type { CliOptions } from "../cli-options.ts";
import { runJsonLines } from "../json-lines.ts";
import { renderClauses } from "../render-text.ts";
import { parseLimit } from "../../app/query-options.ts";
import type { Services } from "../../app/services.ts";
import type { Io } from "../services.ts";
import { MESSAGES } from "../../i18n/cli-messages.ts";

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
