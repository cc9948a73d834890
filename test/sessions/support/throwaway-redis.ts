// A private redis-server on a free port, which a test may kill and restart.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Options of {@link ThrowawayRedis.start}. */
export interface ThrowawayRedisOptions {
  /**
   * Keep the data across `stop` and `start` in an append-only file synced on every write (a restarted server
   * has its keys back and has forgotten its scripts, as a production restart would); removed by `remove`.
   */
  persistent?: boolean;
}

/** A redis-server this test owns; `stop` kills it, `start` brings it back on the same port. */
export class ThrowawayRedis {
  #child: ChildProcess | undefined;
  readonly #dir: string | undefined;

  private constructor(
    readonly port: number,
    options: ThrowawayRedisOptions,
  ) {
    this.#dir = options.persistent ? mkdtempSync(join(tmpdir(), "zc-redis-")) : undefined;
  }

  /** Starts a server on a port the OS reports free; nothing is persisted unless asked. */
  static async start(options: ThrowawayRedisOptions = {}): Promise<ThrowawayRedis> {
    const server = new ThrowawayRedis(await freePort(), options);
    await server.start();
    return server;
  }

  get url(): string {
    return `redis://127.0.0.1:${this.port}`;
  }

  /** Starts the server and resolves once it accepts connections. */
  start(): Promise<void> {
    const args = ["--port", String(this.port), "--bind", "127.0.0.1", "--save", ""];
    if (this.#dir === undefined) args.push("--appendonly", "no");
    else args.push("--dir", this.#dir, "--appendonly", "yes", "--appendfsync", "always");
    const child = spawn("redis-server", args, { stdio: ["ignore", "pipe", "pipe"] });
    this.#child = child;
    return new Promise((resolve, reject) => {
      let output = "";
      child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
        output += chunk;
        if (output.includes("Ready to accept connections")) resolve();
      });
      child.on("error", reject);
      child.on("exit", (code) => reject(new Error(`redis-server exited with ${code}: ${output}`)));
    });
  }

  /** Freezes the server (SIGSTOP): connections stay open and nothing answers, as with a hung host. */
  pause(): void {
    this.#child?.kill("SIGSTOP");
  }

  /** Lets a paused server run again (SIGCONT). */
  resume(): void {
    this.#child?.kill("SIGCONT");
  }

  /** Kills the server (as a crash would) and resolves once it is gone. */
  async stop(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (child === undefined || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }

  /** Stops the server and deletes its files. */
  async remove(): Promise<void> {
    await this.stop();
    if (this.#dir !== undefined) rmSync(this.#dir, { recursive: true, force: true });
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      const port = typeof address === "object" && address !== null ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}
