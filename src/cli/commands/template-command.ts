// `template [--format xlsx|csv] [--out FILE]`: the empty staff sheet whose columns `check --batch` reads.
import { openOutput } from "../open-output.ts";
import { finished } from "node:stream/promises";
import type { CliOptions } from "../cli-options.ts";
import type { Io } from "../services.ts";
import { MESSAGES } from "../../i18n/cli-messages.ts";
import { HR_TEXT } from "../../i18n/hr-messages.ts";
import { formatOf, writeTemplate } from "../../app/hr-batch.ts";

export async function templateCommand(opts: CliOptions, io: Io): Promise<number> {
  const out = opts.out === "-" ? undefined : opts.out;
  const byName = out === undefined ? undefined : formatOf(out);
  const format = opts.format ?? (byName === "csv" ? "csv" : "xlsx");
  if (format !== "csv" && format !== "xlsx") {
    io.stderr.write(`${MESSAGES.badOption("format", HR_TEXT.badTemplateFormat)}\n`);
    return 2;
  }
  if (out === undefined) {
    // A workbook is binary: on a terminal it would only garble the screen.
    if (format === "xlsx" && (io.stdout as { isTTY?: boolean }).isTTY) {
      io.stderr.write(`${HR_TEXT.binaryToTerminal}\n`);
      return 2;
    }
    await writeTemplate(io.stdout, format);
    return 0;
  }
  const target = await openOutput(out);
  await writeTemplate(target, format);
  target.end();
  await finished(target);
  return 0;
}
