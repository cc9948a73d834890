// Streams JSON Lines in and out in order, in constant memory, with a per-line error for bad lines.
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { Writable } from "node:stream";
import type { LineError } from "../shared/report.ts";
import { MESSAGES } from "../i18n/cli-messages.ts";

/** A line serialised ahead (JSON text in pieces; a piece with `bytes` is written as those UTF-8 bytes). */
export class SerialisedLine {
  constructor(readonly pieces: readonly { text: string; bytes?: Uint8Array }[]) {}
}

/**
 * What a batch handler returns for one parsed line: a result object or a per-line error (stringified
 * here), a JSON string already serialised, or a SerialisedLine.
 */
export type LineOutcome = object | string | SerialisedLine;

/** Longest input line accepted; longer lines get a per-line error (a 100 KB question is refused, not parsed). */
export const MAX_LINE_CHARS = 200_000;

/** A line error in the contract's shape, carrying the input's id when it had one. */
export function lineError(id: unknown, code: string, message: string): LineError {
  return id === undefined ? { error: { code, message } } : { id, error: { code, message } };
}

function idOf(value: unknown): unknown {
  return value && typeof value === "object" && "id" in value ? value.id : undefined;
}

const CHUNK_BYTES = 256 * 1024;

/**
 * Encodes lines into a byte buffer and hands it to `out` when full, waiting for drain (back-pressure) so
 * 100,000 lines never pile up in memory. Pre-encoded pieces are copied, not re-encoded.
 */
class LineWriter {
  private buf: Buffer = Buffer.allocUnsafeSlow(CHUNK_BYTES);
  private pos = 0;
  /** Chunks the stream has finished with, reused (fresh ones per flush made the GC chase external memory). */
  private readonly free: Buffer[] = [];
  constructor(private readonly out: Writable) {}

  /** Writes one line; awaits only when the chunk is full (one back-pressure check per line, not per piece). */
  async write(line: string | SerialisedLine): Promise<void> {
    const pieces = typeof line === "string" ? [{ text: line }] : line.pieces;
    let size = 1;
    for (const p of pieces) size += p.bytes ? p.bytes.length : Buffer.byteLength(p.text, "utf8");
    if (this.pos + size > this.buf.length) await this.flush();
    // A line larger than a chunk gets a buffer of its own size.
    if (size > this.buf.length) this.buf = Buffer.allocUnsafeSlow(size);
    for (const p of pieces) {
      if (p.bytes) {
        this.buf.set(p.bytes, this.pos);
        this.pos += p.bytes.length;
      } else this.pos += this.buf.write(p.text, this.pos, "utf8");
    }
    this.buf[this.pos++] = 0x0a;
  }

  async flush(): Promise<void> {
    if (this.pos === 0) return;
    const full = this.buf;
    const data = full.subarray(0, this.pos);
    // The stream keeps `data` until written, so the next lines go to another chunk; this one returns
    // to the pool once written. Back-pressure bounds how many chunks are out at once.
    this.buf = this.free.pop() ?? Buffer.allocUnsafeSlow(CHUNK_BYTES);
    this.pos = 0;
    const done = () => {
      if (full.length === CHUNK_BYTES && this.free.length < 4) this.free.push(full);
    };
    if (!this.out.write(data, done)) await new Promise<void>((resolve) => this.out.once("drain", resolve));
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
    await writer.write(
      typeof outcome === "string" || outcome instanceof SerialisedLine ? outcome : JSON.stringify(outcome),
    );
  }
  await writer.flush();
  return count;
}
