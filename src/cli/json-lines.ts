// Streams JSON Lines in and out in order, in constant memory, with a per-line error for bad lines.
import { createReadStream } from "node:fs";
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

  /**
   * Writes one line. Returns a promise only when the chunk was full and handed to the stream (then the
   * caller waits for back-pressure); otherwise nothing, so a batch line costs no microtask here.
   */
  write(line: string | SerialisedLine): Promise<void> | undefined {
    const pieces = typeof line === "string" ? [{ text: line }] : line.pieces;
    let size = 1;
    for (const p of pieces) size += p.bytes ? p.bytes.length : Buffer.byteLength(p.text, "utf8");
    if (this.pos + size > this.buf.length) return this.flush().then(() => this.put(pieces, size));
    this.put(pieces, size);
    return undefined;
  }

  private put(pieces: SerialisedLine["pieces"], size: number): void {
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
 * Splits a character stream into lines without readline (which costs several promises per line):
 * yields the complete lines of each chunk. A line longer than MAX_LINE_CHARS is not kept whole —
 * memory stays bounded — and comes out as `TOO_LONG`.
 */
async function* linesOf(input: AsyncIterable<string>): AsyncGenerator<string[]> {
  let rest = "";
  let tooLong = false;
  for await (const chunk of input) {
    const parts = chunk.split("\n");
    const lines: string[] = [];
    for (let i = 0; i < parts.length - 1; i++) {
      const line = i === 0 ? rest + (parts[0] ?? "") : (parts[i] ?? "");
      if (i === 0 && tooLong) {
        lines.push(TOO_LONG);
        tooLong = false;
      } else lines.push(line.length > MAX_LINE_CHARS ? TOO_LONG : line);
      if (i === 0) rest = "";
    }
    const last = parts[parts.length - 1] ?? "";
    rest = parts.length === 1 ? rest + last : last;
    if (rest.length > MAX_LINE_CHARS) {
      tooLong = true;
      rest = "";
    }
    if (lines.length) yield lines;
  }
  if (tooLong) yield [TOO_LONG];
  else if (rest) yield [rest];
}

/** Stands for a line too long to keep (a sentinel no real line can equal: it has a newline). */
const TOO_LONG = "\n(too long)";

/** The outcome for one input line. */
function outcomeOf(
  raw: string,
  handle: (value: Record<string, unknown>) => LineOutcome | Promise<LineOutcome>,
): LineOutcome | Promise<LineOutcome> {
  if (raw === TOO_LONG) return lineError(undefined, "line_too_long", MESSAGES.lineTooLong(MAX_LINE_CHARS));
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    value = undefined;
  }
  if (!value || typeof value !== "object" || Array.isArray(value))
    return lineError(undefined, "invalid_json", MESSAGES.invalidJsonLine);
  const failed = (err: unknown) => lineError(idOf(value), "internal_error", MESSAGES.internalLineError(err));
  try {
    const result = handle(value as Record<string, unknown>);
    return result instanceof Promise ? result.catch(failed) : result;
  } catch (err) {
    return failed(err);
  }
}

/**
 * Reads JSON Lines from a file (`-` = stdin) and writes one JSON line per non-blank input line, in
 * order. A line that is not a JSON object, or that the handler rejects, yields `{id?, error}`.
 * Synchronous handlers run without a promise per line; the only waits are for input and back-pressure.
 */
export async function runJsonLines(
  file: string,
  out: Writable,
  handle: (value: Record<string, unknown>) => LineOutcome | Promise<LineOutcome>,
): Promise<number> {
  const input =
    file === "-" ? process.stdin.setEncoding("utf8") : createReadStream(file, { encoding: "utf8" });
  const writer = new LineWriter(out);
  let count = 0;
  for await (const lines of linesOf(input as AsyncIterable<string>)) {
    for (const raw of lines) {
      if (!raw.trim()) continue;
      count += 1;
      let outcome = outcomeOf(raw.endsWith("\r") ? raw.slice(0, -1) : raw, handle);
      if (outcome instanceof Promise) outcome = await outcome;
      const line =
        typeof outcome === "string" || outcome instanceof SerialisedLine ? outcome : JSON.stringify(outcome);
      const pending = writer.write(line);
      if (pending) await pending;
    }
  }
  await writer.flush();
  return count;
}
