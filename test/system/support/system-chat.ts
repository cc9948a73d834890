// Whole-system helpers: chat deps built by the composition root, Redis key reads, and child processes of the CLI.
import { spawn, type ChildProcessWithoutNullStreams } from "node:child_process";
import type { Redis } from "ioredis";
import { chatTurn, type ChatTurnDeps } from "../../../src/app/chat-turn.ts";
import { loadConfig } from "../../../src/config.ts";
import type { DialogState } from "../../../src/dialogs/types.ts";
import { createChat, createServices } from "../../../src/main.ts";
import { userKey } from "../../../src/app/user-key.ts";
import { userIdSecretKey, userKeys } from "../../../src/sessions/session-keys.ts";
import { fixedClock, type Clock } from "../../../src/shared/clock.ts";
import type { Reply } from "../../../src/shared/chat.ts";
import type { Services } from "../../../src/app/services.ts";
import { PROJECT_ROOT } from "../../support/paths.ts";
import { TEST_REDIS_URL } from "../../sessions/support/redis-test-prefix.ts";

/** The instant every in-process system test runs at (2024-08-15 in Shanghai), as the dialog tests do. */
export const TEST_CLOCK: Clock = fixedClock("2024-08-15T04:00:00Z");
export const TEST_AS_OF = "2024-08-15";

/** The services and chat deps `main.ts` would build from `env` (REDIS_URL selects the Redis store). */
export async function systemChat(
  env: Record<string, string>,
  clock: Clock = TEST_CLOCK,
): Promise<{ services: Services; chat: ChatTurnDeps }> {
  const services = await createServices(loadConfig(env), clock);
  return { services, chat: await createChat(services) };
}

/** The chat deps on the test Redis under `prefix`. */
export function redisChat(prefix: string, extra: Record<string, string> = {}) {
  return systemChat({ REDIS_URL: TEST_REDIS_URL, REDIS_PREFIX: prefix, ...extra });
}

/** One user of one channel talking through `chatTurn`; returns the replies' texts joined. */
export function speaker(chat: ChatTurnDeps, channel: string, user: string) {
  const transcript: string[] = [];
  let last: Reply[] = [];
  return {
    transcript,
    lastReplies: () => last,
    last: () => last.map((r) => r.text).join("\n"),
    says: async (text: string): Promise<string> => {
      const { replies } = await chatTurn({ channel, user, text }, chat);
      last = replies;
      transcript.push(`> ${text}`, ...replies.map((r) => r.text));
      return replies.map((r) => r.text).join("\n");
    },
  };
}

/**
 * The key a server process files a user under when no USER_ID_SECRET is set: the keyed hash under the random
 * secret the store created in Redis (read from there, as every replica does).
 */
export async function storedUserKey(
  redis: Redis,
  prefix: string,
  channel: string,
  user: string,
): Promise<string> {
  const secret = await redis.get(userIdSecretKey(prefix));
  if (secret === null) throw new Error(`no user-id secret under ${prefix}`);
  return userKey(secret, channel, user);
}

/** The stored `{ v, state }` of a user (by their store key), decoded; undefined when no state key exists. */
export async function storedState(
  redis: Redis,
  prefix: string,
  key: string,
): Promise<{ v: number; state: DialogState } | undefined> {
  const raw = await redis.get(userKeys(prefix, key).state);
  return raw === null ? undefined : (JSON.parse(raw) as { v: number; state: DialogState });
}

/** The last line of a turn's output that is neither a quick-reply nor a citation line: the question asked. */
export function lastQuestion(text: string): string {
  const lines = text
    .split("\n")
    .map((l) => l.trimEnd())
    .filter((l) => l && !l.startsWith("  "));
  return lines.at(-1) ?? "";
}

/** A child process of the project's CLI (`tsx src/main.ts …`) whose output can be awaited. */
export interface CliProcess {
  readonly child: ChildProcessWithoutNullStreams;
  stdout(): string;
  stderr(): string;
  /** Resolves with the stdout once `ready(stdout)` holds; rejects if the process exits first or after `timeoutMs`. */
  waitFor(ready: (stdout: string) => boolean, timeoutMs?: number): Promise<string>;
  /** Resolves with the exit code once the process has exited. */
  exited: Promise<number | null>;
  /** Sends SIGTERM (then SIGKILL after 5 s) and waits for the exit. */
  stop(): Promise<void>;
}

/** Starts `tsx src/main.ts <args>` with the given extra environment. */
export function spawnCli(args: string[], env: Record<string, string>): CliProcess {
  const child = spawn(`${PROJECT_ROOT}node_modules/.bin/tsx`, ["src/main.ts", ...args], {
    cwd: PROJECT_ROOT,
    env: { ...process.env, ...env },
    stdio: ["pipe", "pipe", "pipe"],
  });
  let out = "";
  let err = "";
  let done = false;
  const listeners = new Set<() => void>();
  const notify = () => listeners.forEach((l) => l());
  child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
    out += chunk;
    notify();
  });
  child.stderr.setEncoding("utf8").on("data", (chunk: string) => (err += chunk));
  const exited = new Promise<number | null>((resolve) => {
    child.on("close", (code) => {
      done = true;
      notify();
      resolve(code);
    });
  });
  return {
    child,
    stdout: () => out,
    stderr: () => err,
    exited,
    waitFor(ready, timeoutMs = 30_000) {
      return new Promise<string>((resolve, reject) => {
        const timer = setTimeout(() => {
          listeners.delete(check);
          reject(new Error(`timed out waiting for output; stdout:\n${out}\nstderr:\n${err}`));
        }, timeoutMs);
        function check() {
          if (ready(out)) {
            clearTimeout(timer);
            listeners.delete(check);
            resolve(out);
          } else if (done) {
            clearTimeout(timer);
            listeners.delete(check);
            reject(new Error(`process exited before the expected output; stdout:\n${out}\nstderr:\n${err}`));
          }
        }
        listeners.add(check);
        check();
      });
    },
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const killer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      child.kill("SIGTERM");
      await exited;
      clearTimeout(killer);
    },
  };
}
