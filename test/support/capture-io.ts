// Runs the CLI in-process with captured stdout/stderr.
import { PassThrough } from "node:stream";
import { run } from "../../src/main.ts";
import { fixedClock } from "../../src/shared/clock.ts";

export interface CliRun {
  code: number;
  stdout: string;
  stderr: string;
  /** stdout parsed as JSON Lines. */
  lines: Array<Record<string, unknown>>;
}

function collect(stream: PassThrough): () => string {
  const chunks: Buffer[] = [];
  stream.on("data", (c: Buffer) => chunks.push(c));
  return () => Buffer.concat(chunks).toString("utf8");
}

/** Runs `zhicheng <argv>` with an empty environment (defaults) and a fixed clock. */
export async function cli(
  argv: string[],
  env: NodeJS.ProcessEnv = {},
  today = "2024-09-01T04:00:00Z",
): Promise<CliRun> {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  const out = collect(stdout);
  const err = collect(stderr);
  const code = await run(argv, { stdout, stderr }, env, fixedClock(today));
  const text = out();
  const lines = text
    .split("\n")
    .filter((l) => l.trim())
    .flatMap((l) => {
      try {
        return [JSON.parse(l) as Record<string, unknown>];
      } catch {
        return [];
      }
    });
  return { code, stdout: text, stderr: err(), lines };
}
