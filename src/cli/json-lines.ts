// Streams JSON Lines in and out in order, in constant memory, with a per-line error for bad lines.
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { Writable } from "node:stream";
import type { LineError } from "../shared/report.ts";
import { MESSAGES } from "../i18n/cli-messages.ts";

/** What a batch handler returns for one parsed line: a result object or a per-line error. */
export type LineOutcome = object;

/** Longest input line accepted; longer lines get a per-line error (a 100 KB question is refused, not parsed). */
export const MAX_LINE_CHARS = 200_000;

/** A line error in the contract's shape, carrying the input's id when it had one. */
export function lineError(id: unknown, code: string, message: string): LineError {
  return id === undefined ? { error: { code, message } } : { id, error: { code, message } };
}

function idOf(value: unknown): unknown {
  return value && typeof value === "object" && "id" in value ? value.id : undefined;
}

/** Buffers output and respects back-pressure so 100,000 lines never pile up in memory. */
class LineWriter {
  private chunks: string[] = [];
  private size = 0;
  constructor(private readonly out: Writable) {}

  async write(line: string): Promise<void> {
    this.chunks.push(line, "\n");
    this.size += line.length + 1;
    if (this.size >= 64 * 1024) await this.flush();
  }

  async flush(): Promise<void> {
    if (!this.chunks.length) return;
    const data = this.chunks.join("");
    this.chunks = [];
    this.size = 0;
    if (!this.out.write(data)) await new Promise<void>((resolve) => this.out.once("drain", resolve));
  }
}

/**
 * Reads JSON Lines from a file (`-` = stdin) and writes one JSON line per non-blank input line, in
 * order. A line that is not a JSON object, or that the handler rejects, yields `{id?, error}`.
 */
export async function runJsonLines(
  file: string,
  out: Writable,
  handle: (value: Record<string, unknown>) => LineOutcome | Promise<LineOutcome>,
): Promise<number> {
  const input = file === "-" ? process.stdin : createReadStream(file, { encoding: "utf8" });
  const lines = createInterface({ input, crlfDelay: Infinity });
  const writer = new LineWriter(out);
  let count = 0;
  for await (const raw of lines) {
    if (!raw.trim()) continue;
    count += 1;
    let outcome: LineOutcome;
    if (raw.length > MAX_LINE_CHARS) {
      outcome = lineError(undefined, "line_too_long", MESSAGES.lineTooLong(MAX_LINE_CHARS));
    } else {
      let value: unknown;
      try {
        value = JSON.parse(raw);
      } catch {
        value = undefined;
      }
      if (!value || typeof value !== "object" || Array.isArray(value)) {
        outcome = lineError(undefined, "invalid_json", MESSAGES.invalidJsonLine);
      } else {
        try {
          outcome = await handle(value as Record<string, unknown>);
        } catch (err) {
          outcome = lineError(idOf(value), "internal_error", MESSAGES.internalLineError(err));
        }
      }
    }
    await writer.write(JSON.stringify(outcome));
  }
  await writer.flush();
  return count;
}
