// The JSON Lines runner: order, ids, per-line errors, over chunk boundaries and with over-long lines.
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { PassThrough } from "node:stream";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { MAX_LINE_CHARS, runJsonLines } from "../../src/cli/json-lines.ts";

type Handler = Parameters<typeof runJsonLines>[2];

async function runOn(content: string, handle: Handler = (v) => ({ echo: v.n })) {
  const file = join(mkdtempSync(join(tmpdir(), "zc-jl-")), "in.jsonl");
  writeFileSync(file, content);
  const out = new PassThrough();
  const chunks: Buffer[] = [];
  out.on("data", (c: Buffer) => chunks.push(c));
  const count = await runJsonLines(file, out, handle);
  return {
    count,
    lines: Buffer.concat(chunks)
      .toString("utf8")
      .split("\n")
      .filter((l) => l)
      .map((l) => JSON.parse(l) as Record<string, unknown>),
  };
}

describe("runJsonLines", () => {
  it("answers every non-blank line in order across 64 KB read chunks (CRLF too)", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.record({ n: fc.integer(), pad: fc.string({ maxLength: 3000 }) }), {
          minLength: 1,
          maxLength: 120,
        }),
        fc.boolean(),
        async (rows, crlf) => {
          const content = rows.map((r) => JSON.stringify(r)).join(crlf ? "\r\n\n" : "\n");
          const { count, lines } = await runOn(content);
          expect(count).toBe(rows.length);
          expect(lines.map((l) => l.echo)).toEqual(rows.map((r) => r.n));
        },
      ),
      { numRuns: 40 },
    );
  });

  it("gives an over-long line and a malformed line their own errors and goes on", async () => {
    const huge = JSON.stringify({ n: 1, pad: "长".repeat(MAX_LINE_CHARS + 10) });
    const content = [JSON.stringify({ n: 0 }), huge, "{oops", JSON.stringify({ n: 2 }), huge].join("\n");
    const { lines } = await runOn(content);
    expect(lines).toHaveLength(5);
    expect(lines[0]).toEqual({ echo: 0 });
    expect(lines[1]).toMatchObject({ error: { code: "line_too_long" } });
    expect(lines[2]).toMatchObject({ error: { code: "invalid_json" } });
    expect(lines[3]).toEqual({ echo: 2 });
    expect(lines[4]).toMatchObject({ error: { code: "line_too_long" } });
  });

  it("turns a throwing or rejecting handler into a per-line error carrying the id", async () => {
    const content = ['{"id":"a","n":1}', '{"id":"b","n":2}', '{"id":"c","n":3}'].join("\n");
    const { lines } = await runOn(content, (v) => {
      if (v.n === 1) throw new Error("boom");
      if (v.n === 2) return Promise.reject(new Error("later"));
      return Promise.resolve({ ok: v.id });
    });
    expect(lines[0]).toMatchObject({ id: "a", error: { code: "internal_error" } });
    expect(lines[1]).toMatchObject({ id: "b", error: { code: "internal_error" } });
    expect(lines[2]).toEqual({ ok: "c" });
  });
});
