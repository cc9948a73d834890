// Starts a fixture script in its own Node process (via the project's tsx) and talks the ready/go protocol.
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { PROJECT_ROOT } from "../../support/paths.ts";

/** A child process waiting for `go`. */
export interface Worker {
  /** Resolves when the child is connected and waiting. */
  ready: Promise<void>;
  go(): void;
  /** The JSON the child printed; rejects if it exits with an error. */
  result: Promise<unknown>;
}

/** Spawns `test/sessions/fixtures/<name>` with `args`. */
export function spawnWorker(name: string, args: string[]): Worker {
  const script = fileURLToPath(new URL(`../fixtures/${name}`, import.meta.url));
  const child = spawn(`${PROJECT_ROOT}node_modules/.bin/tsx`, [script, ...args], {
    cwd: PROJECT_ROOT,
    stdio: ["pipe", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  let markReady: () => void = () => undefined;
  const ready = new Promise<void>((resolve) => (markReady = resolve));
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    stdout += chunk;
    if (stdout.startsWith("ready\n")) markReady();
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
  const result = new Promise<unknown>((resolve, reject) => {
    child.on("error", reject);
    child.on("close", (code) => {
      const lines = stdout.trim().split("\n");
      if (code !== 0) reject(new Error(`${name} exited with ${code}: ${stderr}`));
      else resolve(JSON.parse(lines[lines.length - 1] ?? "null"));
    });
  });
  // A child that dies before saying ready must fail the test, not hang it.
  const readyOrDead = Promise.race([
    ready,
    result.then(() => Promise.reject(new Error(`${name} ended early`))),
  ]);
  return {
    ready: readyOrDead,
    go: () => child.stdin.end("go\n"),
    result,
  };
}
