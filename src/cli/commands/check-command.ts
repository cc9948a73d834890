// `check --profile FILE` and `check --batch FILE`: eligibility reports.
import { readFileSync } from "node:fs";
import type { CliOptions } from "../cli-options.ts";
import { SerialisedLine, runJsonLines } from "../json-lines.ts";
import { renderReport } from "../render-text.ts";
import type { Services } from "../../app/services.ts";
import type { Io } from "../services.ts";
import { MESSAGES } from "../../i18n/cli-messages.ts";
import { reportJsonFragments } from "../../rules/report-json.ts";

export async function checkCommand(opts: CliOptions, services: Services, io: Io): Promise<number> {
  if (opts.batch) {
    // Reports go out from cached fragments (citations are encoded once per run, not once per line).
    await runJsonLines(opts.batch, io.stdout, (line) => {
      const report = services.check(line);
      return "error" in report ? report : new SerialisedLine(reportJsonFragments(report));
    });
    return 0;
  }
  if (!opts.profile) {
    io.stderr.write(`${MESSAGES.missingArgument("--profile FILE 或 --batch FILE")}\n`);
    return 2;
  }
  let text: string;
  try {
    text = readFileSync(opts.profile === "-" ? 0 : opts.profile, "utf8");
  } catch {
    io.stderr.write(`${MESSAGES.cannotRead(opts.profile)}\n`);
    return 2;
  }
  let profile: unknown;
  try {
    profile = JSON.parse(text);
  } catch {
    io.stderr.write(`${MESSAGES.notJson(opts.profile)}\n`);
    return 2;
  }
  const report = services.check(profile);
  io.stdout.write(opts.json || "error" in report ? `${JSON.stringify(report)}\n` : renderReport(report));
  return 0;
}
