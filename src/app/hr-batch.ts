// HR batch (contract "HR batch"): staff rows in (.jsonl, .csv, .xlsx), one result row per input row out, in order.
import type { Readable, Writable } from "node:stream";
import type { EligibilityReport, LineError, Verdict } from "../shared/report.ts";
import { reportToJsonLine } from "../rules/report-json.ts";
import { HR_TEXT } from "../i18n/hr-messages.ts";
import { COLUMNS } from "./hr-sheet-columns.ts";
import { RESULT_HEADERS, resultCells, summaryJson } from "./hr-summary.ts";
import { readProfiles, SheetError, type SheetFormat } from "./hr-sheet-reader.ts";
import { csvSink, TextSink, xlsxSink, type SheetSink } from "./hr-sheet-writer.ts";

export { formatOf, SheetError, type SheetFormat } from "./hr-sheet-reader.ts";

/** Rows by outcome. */
export type HrCounts = Record<Verdict | "error", number> & { rows: number };

export interface HrBatchOptions {
  input: Readable;
  inFormat: SheetFormat;
  out: Writable;
  outFormat: SheetFormat;
  /** JSON Lines output: the contract's summary per row instead of the whole report. */
  summary: boolean;
  check: (profile: unknown) => EligibilityReport | LineError;
  /** Data rows accepted; one more throws a {@link SheetError} `too_many_rows` (the upload route's cap). */
  maxRows?: number;
}

const WIDE = { [RESULT_HEADERS[0] ?? ""]: 16, [RESULT_HEADERS[3] ?? ""]: 24, [RESULT_HEADERS[4] ?? ""]: 80 };

/** The output sheet for `header`: .xlsx or CSV; JSON Lines has no sheet. */
function sheetSink(out: Writable, format: "csv" | "xlsx", header: readonly string[]): SheetSink {
  if (format === "csv") return csvSink(out, header);
  return xlsxSink(out, header, { sheetName: "结果", widths: header.map((h) => WIDE[h] ?? 14) });
}

/**
 * Runs the batch: reads `input`, checks each row, writes one output row per input row in order. A row that
 * cannot be read or checked gets an error (cell or line) and the batch goes on; only an unreadable sheet throws.
 */
export async function runHrBatch(options: HrBatchOptions): Promise<HrCounts> {
  const { check, outFormat } = options;
  const rows = await readProfiles(options.input, options.inFormat);
  const counts: HrCounts = { rows: 0, eligible: 0, ineligible: 0, undetermined: 0, error: 0 };
  const kept = rows.keptHeaders ?? [];
  // JSON Lines go out as text; a sheet through its writer.
  const text = outFormat === "jsonl" ? new TextSink(options.out) : undefined;
  const sheet =
    outFormat === "jsonl" ? undefined : sheetSink(options.out, outFormat, ["id", ...kept, ...RESULT_HEADERS]);

  for await (const batch of rows.batches) {
    for (const row of batch) {
      counts.rows += 1;
      if (options.maxRows !== undefined && counts.rows > options.maxRows)
        throw new SheetError("too_many_rows", HR_TEXT.tooManyRows(options.maxRows));
      const result = "error" in row.profile ? (row.profile as LineError) : check(row.profile);
      if ("error" in result) counts.error += 1;
      else counts[result.verdict] += 1;
      let pending: Promise<void> | undefined;
      if (outFormat === "jsonl") {
        const line =
          "error" in result
            ? JSON.stringify(result)
            : options.summary
              ? summaryJson(result)
              : reportToJsonLine(result);
        pending = text?.write(`${line}\n`);
      } else {
        const id =
          "error" in result
            ? (row.id ?? (typeof result.id === "string" ? result.id : ""))
            : (result.id ?? row.id ?? "");
        const own = row.kept ?? [];
        const padded = kept.length === own.length ? own : kept.map((_, i) => own[i]);
        pending = sheet?.row([id, ...padded, ...resultCells(result)]);
      }
      if (pending) await pending;
    }
  }
  await (text ? text.flush() : sheet?.close());
  return counts;
}

/** The empty staff sheet: the columns' labels, and in .xlsx a second sheet saying what each column takes. */
export async function writeTemplate(out: Writable, format: "csv" | "xlsx"): Promise<void> {
  const labels = COLUMNS.map((c) => c.label);
  if (format === "csv") return csvSink(out, labels).close();
  const notes = [[...HR_TEXT.notesHeader], ...COLUMNS.map((c) => [c.label, c.key, c.hint])];
  await xlsxSink(out, labels, {
    sheetName: "人员",
    widths: labels.map((l) => Math.max(12, l.length * 2 + 4)),
    extraSheets: [{ name: "填写说明", rows: notes }],
  }).close();
}
