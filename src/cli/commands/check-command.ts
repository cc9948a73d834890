// `check --profile FILE` and `check --batch FILE`: eligibility reports; sheets in and out (contract "HR batch").
import { createReadStream, readFileSync, rmSync } from "node:fs";
import { openOutput } from "../open-output.ts";
import { finished } from "node:stream/promises";
import type { CliOptions } from "../cli-options.ts";
import { SerialisedLine, runJsonLines } from "../json-lines.ts";
import { renderReport } from "../render-text.ts";
import type { Services } from "../../app/services.ts";
import type { Io } from "../services.ts";
import { MESSAGES } from "../../i18n/cli-messages.ts";
import { HR_TEXT } from "../../i18n/hr-messages.ts";
import { reportJsonFragments } from "../../rules/report-json.ts";
import { formatOf, runHrBatch, SheetError } from "../../app/hr-batch.ts";
import { summaryJson } from "../../app/hr-summary.ts";

/** `check --batch FILE [--out FILE] [--summary]`: JSON Lines, CSV or .xlsx in; JSON Lines on stdout or a sheet out. */
async function checkBatch(batch: string, opts: CliOptions, services: Services, io: Io): Promise<number> {
  const out = opts.out === "-" ? undefined : opts.out;
  const inFormat = formatOf(batch);
  const outFormat = out === undefined ? "jsonl" : formatOf(out);
  const unknown = !inFormat ? batch : !outFormat ? out : undefined;
  if (unknown !== undefined || !inFormat || !outFormat) {
    io.stderr.write(`${HR_TEXT.unknownFormat(unknown ?? "")}\n`);
    return 2;
  }
  if (inFormat === "jsonl" && out === undefined) {
    // Reports go out from cached fragments (citations are encoded once per run, not once per line).
    await runJsonLines(batch, io.stdout, (line) => {
      const report = services.check(line);
      if ("error" in report) return report;
      return opts.summary ? summaryJson(report) : new SerialisedLine(reportJsonFragments(report));
    });
    return 0;
  }
  const input = batch === "-" ? process.stdin : createReadStream(batch);
  const target = out === undefined ? io.stdout : await openOutput(out);
  try {
    const counts = await runHrBatch({
      input,
      inFormat,
      out: target,
      outFormat,
      summary: opts.summary,
      check: services.check,
    });
    if (out === undefined) return 0;
    target.end();
    await finished(target);
    const { rows, eligible, ineligible, undetermined, error } = counts;
    io.stdout.write(
      opts.json
        ? `${JSON.stringify({ out, rows, eligible, ineligible, undetermined, errors: error })}\n`
        : `${HR_TEXT.summaryLine(counts, rows, out)}\n`,
    );
    return 0;
  } catch (err) {
    if (out !== undefined) {
      target.destroy();
      rmSync(out, { force: true });
    }
    if (err instanceof SheetError) {
      io.stderr.write(`${batch}: ${err.message}\n`);
      return 2;
    }
    if ((err as { code?: unknown }).code === "ENOENT" || (err as { code?: unknown }).code === "EACCES") {
      io.stderr.write(`${MESSAGES.cannotRead(batch)}\n`);
      return 2;
    }
    throw err;
  }
}

export async function checkCommand(opts: CliOptions, services: Services, io: Io): Promise<number> {
  if (opts.batch) return checkBatch(opts.batch, opts, services, io);
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
  if (opts.json) {
    io.stdout.write(`${JSON.stringify(report)}\n`);
    return 0;
  }
  // At a terminal an invalid profile is a message on stderr and a failed command, not JSON on stdout.
  if ("error" in report) {
    io.stderr.write(`${MESSAGES.invalidProfile(opts.profile, report.error.message)}\n`);
    return 2;
  }
  io.stdout.write(renderReport(report));
  return 0;
}
