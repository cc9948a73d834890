// Writes sheets row by row, streaming: CSV (UTF-8 with a BOM, CRLF) and .xlsx through ExcelJS's WorkbookWriter.
// https://github.com/exceljs/exceljs#streaming-xlsx-writer
import { PassThrough, type Writable } from "node:stream";
import ExcelJS from "exceljs";
import { csvLine, UTF8_BOM } from "./csv.ts";

/** A value written to a cell (a Date is written as its day, YYYY-MM-DD). */
export type OutCell = string | number | boolean | Date | null | undefined;

/** A sheet being written: the header first, then one row per call, then close. */
export interface SheetSink {
  /** Resolves when the row is handed on; a promise only when the output asks to wait (back-pressure). */
  row(cells: readonly OutCell[]): Promise<void> | undefined;
  close(): Promise<void>;
}

const FLUSH_CHARS = 64 * 1024;

/** Text in chunks of about 64 KB, waiting for `drain` when the stream asks to (constant memory). */
export class TextSink {
  private pending = "";
  constructor(private readonly out: Writable) {}

  write(text: string): Promise<void> | undefined {
    this.pending += text;
    return this.pending.length >= FLUSH_CHARS ? this.flush() : undefined;
  }

  async flush(): Promise<void> {
    if (!this.pending) return;
    const chunk = this.pending;
    this.pending = "";
    if (!this.out.write(chunk)) await new Promise<void>((resolve) => this.out.once("drain", resolve));
  }
}

const asText = (cell: OutCell): string =>
  cell === null || cell === undefined
    ? ""
    : cell instanceof Date
      ? cell.toISOString().slice(0, 10)
      : String(cell);

/** A CSV sheet on `out`, BOM first so that Excel reads the Chinese as UTF-8. */
export function csvSink(out: Writable, header: readonly string[]): SheetSink {
  const text = new TextSink(out);
  void text.write(UTF8_BOM + csvLine(header));
  return {
    row: (cells) => text.write(csvLine(cells.map(asText))),
    close: () => text.flush(),
  };
}

/** Column widths in characters: wide for the result columns that hold sentences. */
export interface XlsxLayout {
  sheetName: string;
  widths?: readonly number[];
  /** Further sheets written after the main one (a template's notes), each a header and rows. */
  extraSheets?: ReadonlyArray<{ name: string; rows: ReadonlyArray<readonly string[]> }>;
}

/** XML waiting for compression beyond which rows wait (ExcelJS itself never applies back-pressure). */
const ZIP_BACKLOG_BYTES = 4 * 1024 * 1024;

/**
 * The stream inside the zip writer that the sheet's XML is written into: ExcelJS's StreamBuf pipes into it and
 * ignores its back-pressure (exceljs/lib/utils/stream-buf.js `_pipe`), so its backlog is where memory grows.
 */
function zipInputOf(sheet: unknown): ZipInput | undefined {
  const first = (sheet as { stream?: { pipes?: unknown[] } }).stream?.pipes?.[0] as
    Partial<ZipInput> | undefined;
  return typeof first?._writableState?.length === "number" && typeof first.once === "function"
    ? (first as ZipInput)
    : undefined;
}

/** That stream is readable-stream's (npm), not Node's: its backlog is read from `_writableState`. */
interface ZipInput {
  _writableState: { length: number };
  once(event: "drain", listener: () => void): unknown;
}

/**
 * An .xlsx workbook streamed to `out`: rows are committed as they come, so memory stays flat. `out` is not
 * ended (like the CSV sink): the workbook goes through a pipe of its own, since ExcelJS waits for its stream's
 * `finish`, which process.stdout never emits.
 */
export function xlsxSink(out: Writable, header: readonly string[], layout: XlsxLayout): SheetSink {
  const pipe = new PassThrough();
  pipe.pipe(out, { end: false });
  // Listened for from the start: the pipe may have ended by the time the workbook's commit resolves.
  const drained = new Promise<void>((resolve) => pipe.once("end", resolve));
  const workbook = new ExcelJS.stream.xlsx.WorkbookWriter({
    stream: pipe,
    useStyles: false,
    useSharedStrings: false,
  });
  const sheet = workbook.addWorksheet(layout.sheetName);
  sheet.columns = header.map((h, i) => ({
    key: `c${i}`,
    width: layout.widths?.[i] ?? Math.max(10, h.length * 2 + 2),
  }));
  const cellOf = (cell: OutCell) => (cell instanceof Date ? asText(cell) : (cell ?? null));
  sheet.addRow([...header]).commit();
  let rows = 0;
  return {
    row: (cells) => {
      sheet.addRow(cells.map(cellOf)).commit();
      // ExcelJS hands the sheet's XML to the zip without waiting: when compression falls behind, wait for it.
      if (++rows % 256 !== 0) return undefined;
      const zipInput = zipInputOf(sheet);
      return zipInput && zipInput._writableState.length > ZIP_BACKLOG_BYTES
        ? new Promise<void>((resolve) => zipInput.once("drain", resolve))
        : undefined;
    },
    close: async () => {
      sheet.commit();
      for (const extra of layout.extraSheets ?? []) {
        const more = workbook.addWorksheet(extra.name);
        more.columns = (extra.rows[0] ?? []).map((_, i) => ({ key: `c${i}`, width: i === 0 ? 20 : 60 }));
        for (const r of extra.rows) more.addRow([...r]).commit();
        more.commit();
      }
      await workbook.commit();
      await drained;
    },
  };
}
