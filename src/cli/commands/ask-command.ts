// `ask "<question>"` and `ask --batch FILE`: policy answers with citations.
import type { CliOptions } from "../cli-options.ts";
import { lineError, runJsonLines } from "../json-lines.ts";
import { renderAsk } from "../render-text.ts";
import type { Io, Services } from "../services.ts";
import { MESSAGES } from "../../i18n/cli-messages.ts";

export async function askCommand(opts: CliOptions, services: Services, io: Io): Promise<number> {
  if (opts.batch) {
    await runJsonLines(opts.batch, io.stdout, async (line) => {
      const checked = services.checkQuestion(line.q);
      if (!checked.ok) return lineError(line.id, checked.code, checked.message);
      const result = await services.ask(checked.question);
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
  const result = await services.ask(checked.question);
  io.stdout.write(opts.json ? `${JSON.stringify(result)}\n` : renderAsk(result));
  return 0;
}
