// `ask "<question>"` and `ask --batch FILE`: policy answers with citations.
import type { CliOptions } from "../cli-options.ts";
import { lineError, runJsonLines } from "../json-lines.ts";
import { renderAsk } from "../render-text.ts";
import type { Services } from "../../app/services.ts";
import type { Io } from "../services.ts";
import { MESSAGES } from "../../i18n/cli-messages.ts";
import { isCalendarDay } from "../../rules/validate-profile.ts";

export async function askCommand(opts: CliOptions, services: Services, io: Io): Promise<number> {
  // `--as-of` fixes the day the question is asked (contract): whether a round is over depends on it.
  const asOf = opts["as-of"];
  if (asOf !== undefined && !isCalendarDay(asOf))
    throw new RangeError(MESSAGES.badOption("as-of", "应为 YYYY-MM-DD"));
  if (opts.batch) {
    await runJsonLines(opts.batch, io.stdout, async (line) => {
      const checked = services.checkQuestion(line.q);
      if (!checked.ok) return lineError(line.id, checked.code, checked.message);
      const result = await services.ask(checked.question, asOf);
      return line.id === undefined ? result : { id: line.id, ...result };
    });
    return 0;
  }
  if (!opts.positionals.length) {
    io.stderr.write(`${MESSAGES.missingArgument("问题")}\n`);
    return 2;
  }
  const checked = services.checkQuestion(opts.positionals.join(" "));
  if (!checked.ok) {
    io.stdout.write(
      opts.json
        ? `${JSON.stringify({ error: { code: checked.code, message: checked.message } })}\n`
        : `${checked.message}\n`,
    );
    return 0;
  }
  const result = await services.ask(checked.question, asOf);
  io.stdout.write(opts.json ? `${JSON.stringify(result)}\n` : renderAsk(result));
  return 0;
}
