// Reads a staff sheet (.csv or .xlsx) or JSON Lines as rows of profiles, streaming: a 100,000-row sheet is never
// held whole. A sheet's first row names the columns; a bad cell makes that row an error, never the batch.
import { Readable } from "node:stream";
import { TextDecoder } from "node:util";
import ExcelJS from "exceljs";
import type { LineError } from "../shared/report.ts";
import { HR_TEXT } from "../i18n/hr-messages.ts";
import { MESSAGES } from "../i18n/cli-messages.ts";
import { csvRecords } from "./csv.ts";
import { columnOf, type Cell, type Column } from "./hr-sheet-columns.ts";

/** The formats a batch reads and writes, told apart by the file's extension. */
export type SheetFormat = "jsonl" | "csv" | "xlsx";

/** The format of a file by its extension (`-`, stdin, is JSON Lines); undefined for an unknown extension. */
export function formatOf(file: string): SheetFormat | undefined {
  const ext = /\.([A-Za-z0-9]+)$/.exec(file)?.[1]?.toLowerCase();
  if (file === "-" || ext === "jsonl" || ext === "ndjson" || ext === "json") return "jsonl";
  return ext === "csv" || ext === "xlsx" ? ext : undefined;
}

/** A sheet the batch cannot read at all (no header it understands, not a spreadsheet). */
export class SheetError extends Error {
  override name = "SheetError";
  constructor(
    readonly code: string,
    message: string,
    options?: ErrorOptions,
  ) {
    super(message, options);
  }
}

/** One input row: the raw profile for `check` (or the row's error), and the staff's own cells to copy out. */
export interface InputRow {
  profile: Record<string, unknown> | LineError;
  /** Cells of the columns that are not the id, as read (sheets only). */
  kept?: Cell[];
  id?: string;
}

/** A sheet's header as understood, and its rows in batches. */
export interface SheetRows {
  /** Headers of the staff's columns other than the id, in order (sheets only). */
  keptHeaders?: string[];
  batches: AsyncIterable<InputRow[]>;
}

/** Decodes bytes as UTF-8, or as GB18030 when the start is not UTF-8 (Excel on Chinese Windows saves CSV so). */
async function* decodeText(input: AsyncIterable<Buffer>): AsyncGenerator<string> {
  let decoder: TextDecoder | undefined;
  for await (const chunk of input) {
    if (!decoder) {
      try {
        new TextDecoder("utf-8", { fatal: true }).decode(chunk, { stream: true });
        decoder = new TextDecoder("utf-8");
      } catch {
        decoder = new TextDecoder("gb18030");
      }
    }
    const text = decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder?.decode();
  if (rest) yield rest;
}

/** An ExcelJS cell value reduced to a {@link Cell} (rich text joined, a formula's result, a link's text). */
function cellOf(value: unknown): Cell {
  if (value === null || value === undefined) return undefined;
  if (typeof value !== "object" || value instanceof Date) return value as Cell;
  if ("richText" in value && Array.isArray(value.richText))
    return (value.richText as Array<{ text?: string }>).map((r) => r.text ?? "").join("");
  if ("result" in value) return cellOf(value.result);
  if ("text" in value) return cellOf(value.text);
  if ("error" in value) return String(value.error);
  return undefined;
}

/** Bytes as UTF-8 text, a character split between two chunks decoded whole. */
async function* utf8(chunks: AsyncIterable<Buffer | string>): AsyncGenerator<string> {
  const decoder = new TextDecoder("utf-8");
  for await (const chunk of chunks) {
    const text = typeof chunk === "string" ? chunk : decoder.decode(chunk, { stream: true });
    if (text) yield text;
  }
  const rest = decoder.decode();
  if (rest) yield rest;
}

/** The parts of ExcelJS's streaming reader this module reaches into (exceljs/lib/stream/xlsx/workbook-reader.js). */
interface ReaderInternals {
  _parseWorksheet: (iterator: AsyncIterable<Buffer | string>, sheetNo: string) => Generator<unknown>;
  _parseSharedStrings: (entry: AsyncIterable<Buffer | string>) => AsyncGenerator<unknown>;
}

/**
 * ExcelJS 4.4 decodes each chunk of a sheet's XML on its own (lib/utils/parse-sax.js), so a Chinese character
 * split between two chunks comes out as U+FFFD; it passes strings through, so the XML is handed to it decoded.
 */
function decodeWholeCharacters(reader: object): void {
  const internals = reader as ReaderInternals;
  const parseWorksheet = internals._parseWorksheet.bind(reader);
  const parseSharedStrings = internals._parseSharedStrings.bind(reader);
  internals._parseWorksheet = (iterator, sheetNo) => parseWorksheet(utf8(iterator), sheetNo);
  // This one reads its entry with stream events (exceljs/lib/utils/iterate-stream.js): a stream it gets.
  internals._parseSharedStrings = (entry) => parseSharedStrings(Readable.from(utf8(entry)));
}

/** A worksheet left unread: its file stream (a temporary copy of the entry, when there is one) is closed. */
function skipSheet(sheet: unknown): void {
  (sheet as { iterator?: { destroy?: () => void } }).iterator?.destroy?.();
}

/**
 * The rows of the first worksheet, one batch per row (ExcelJS parses as the zip streams in). The reader is always
 * run to its end, also when the caller stops early (a row cap): ExcelJS removes the temporary copies of the
 * worksheets it made only then.
 */
async function* xlsxRecords(input: Readable): AsyncGenerator<Cell[][]> {
  // styles are read so that a date cell comes out as a Date; hyperlinks and other parts are skipped.
  const reader = new ExcelJS.stream.xlsx.WorkbookReader(input, {
    worksheets: "emit",
    sharedStrings: "cache",
    styles: "cache",
    hyperlinks: "ignore",
    entries: "ignore",
  });
  decodeWholeCharacters(reader);
  const sheets = reader[Symbol.asyncIterator]();
  let done = false;
  try {
    const first = await sheets.next();
    done = first.done === true;
    if (!first.done) {
      for await (const row of first.value) {
        const values = row.values as unknown[];
        const cells: Cell[] = [];
        for (let i = 1; i < values.length; i++) cells.push(cellOf(values[i]));
        yield [cells];
      }
    }
  } catch (cause) {
    throw new SheetError("invalid_sheet", HR_TEXT.notASheet, { cause });
  } finally {
    try {
      for (let next = done ? undefined : await sheets.next(); next && !next.done; next = await sheets.next())
        skipSheet(next.value);
    } catch {
      // The file was unreadable past the first sheet: there is nothing more to clean up.
    }
  }
}

/** JSON Lines as records of one cell each (the parsed object), blank lines skipped. */
async function* jsonRecords(input: AsyncIterable<string>): AsyncGenerator<InputRow[]> {
  let rest = "";
  const MAX_LINE = 200_000;
  const rowOf = (line: string): InputRow => {
    if (line.length > MAX_LINE)
      return { profile: { error: { code: "line_too_long", message: MESSAGES.lineTooLong(MAX_LINE) } } };
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      value = undefined;
    }
    if (!value || typeof value !== "object" || Array.isArray(value))
      return { profile: { error: { code: "invalid_json", message: MESSAGES.invalidJsonLine } } };
    const id = (value as { id?: unknown }).id;
    return {
      profile: value as Record<string, unknown>,
      ...(typeof id === "string" || typeof id === "number" ? { id: String(id) } : {}),
    };
  };
  for await (const chunk of input) {
    const parts = (rest + chunk).split("\n");
    rest = parts.pop() ?? "";
    const rows = parts.filter((l) => l.trim()).map((l) => rowOf(l.trim()));
    if (rows.length) yield rows;
  }
  if (rest.trim()) yield [rowOf(rest.trim())];
}

/** The profile a sheet row describes; a cell that cannot be read makes the row a line error naming its column. */
function rowToProfile(columns: readonly (Column | undefined)[], cells: readonly Cell[]): InputRow {
  const profile: Record<string, unknown> = {};
  const kept: Cell[] = [];
  let failure: { column: Column; cell: Cell; expected: string } | undefined;
  for (let i = 0; i < columns.length; i++) {
    const column = columns[i];
    const cell = cells[i];
    if (column?.key !== "id") kept.push(cell);
    if (!column || cell === undefined || cell === null || (typeof cell === "string" && !cell.trim()))
      continue;
    const read = column.parse(cell);
    if (!read.ok) {
      failure ??= { column, cell, expected: read.expected };
      continue;
    }
    const [head, sub] = column.key.split(".") as [string, string | undefined];
    if (sub === undefined) profile[head] = read.value;
    else profile[head] = { ...(profile[head] as object | undefined), [sub]: read.value };
  }
  const id = typeof profile.id === "string" ? profile.id : undefined;
  if (failure) {
    const shown =
      failure.cell instanceof Date ? failure.cell.toISOString().slice(0, 10) : String(failure.cell);
    const message = HR_TEXT.badCell(failure.column.label, shown, failure.expected);
    return {
      profile: { ...(id === undefined ? {} : { id }), error: { code: "invalid_cell", message } },
      kept,
      ...(id === undefined ? {} : { id }),
    };
  }
  return { profile, kept, ...(id === undefined ? {} : { id }) };
}

const headerText = (cell: Cell) =>
  cell === undefined || cell === null ? "" : cell instanceof Date ? cell.toISOString() : String(cell).trim();

/**
 * Opens `input` (bytes) as rows of profiles. A sheet's first row is its header: it must name at least one known
 * column, or a {@link SheetError} is thrown (the file is no staff sheet); rows after it become profiles.
 */
export async function readProfiles(input: Readable, format: SheetFormat): Promise<SheetRows> {
  if (format === "jsonl") return { batches: jsonRecords(decodeText(input)) };
  const records = format === "csv" ? csvRecords(decodeText(input)) : xlsxRecords(input);
  const iterator = records[Symbol.asyncIterator]();
  // Closing the records lets the .xlsx reader finish and remove its temporary files, however the batch ends.
  const close = async () => void (await iterator.return?.(undefined));
  let first = await iterator.next();
  while (!first.done && first.value.length === 0) first = await iterator.next();
  if (first.done) throw new SheetError("empty_sheet", HR_TEXT.emptySheet);
  const [header = [], ...rest] = first.value;
  const columns = header.map(columnOf);
  if (!columns.some(Boolean)) {
    await close();
    throw new SheetError("no_known_columns", HR_TEXT.noKnownColumns);
  }
  const keptHeaders = header.filter((_, i) => columns[i]?.key !== "id").map(headerText);
  async function* batches(): AsyncGenerator<InputRow[]> {
    try {
      if (rest.length) yield rest.map((cells) => rowToProfile(columns, cells));
      for (let next = await iterator.next(); !next.done; next = await iterator.next())
        yield next.value.map((cells) => rowToProfile(columns, cells));
    } finally {
      await close();
    }
  }
  return { keptHeaders, batches: batches() };
}
