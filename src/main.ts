// Composition root: reads the configuration, loads only the parts a command needs, runs it.
import { pathToFileURL } from "node:url";
import { loadConfig, type Config } from "./config.ts";
import { NoticeLoadError } from "./knowledge/notice-meta.ts";
import { systemClock, type Clock } from "./shared/clock.ts";
import { parseCliOptions, type CliOptions } from "./cli/cli-options.ts";
import type { Io } from "./cli/services.ts";
import { InvalidOptionError } from "./app/query-options.ts";
import type { Services } from "./app/services.ts";
import { MESSAGES } from "./i18n/cli-messages.ts";
import { createChat, createServices, type ServicePart } from "./compose.ts";

export { createChat, createServices, type ServicePart };

/** What each command needs loaded. */
const PARTS: Record<string, readonly ServicePart[]> = {
  ask: ["retrieval"],
  clause: ["retrieval"],
  check: ["rules"],
  deadlines: ["rules"],
  ingest: [],
  template: [],
  chat: ["retrieval", "rules"],
  serve: ["retrieval", "rules"],
  reminders: ["retrieval", "rules"],
  worker: ["retrieval", "rules"],
};

async function dispatch(opts: CliOptions, config: Config, services: Services, io: Io): Promise<number> {
  switch (opts.command) {
    case "ask":
      return (await import("./cli/commands/ask-command.ts")).askCommand(opts, services, io);
    case "clause":
      return (await import("./cli/commands/clause-command.ts")).clauseCommand(opts, services, io);
    case "check":
      return (await import("./cli/commands/check-command.ts")).checkCommand(opts, services, io);
    case "deadlines":
      return (await import("./cli/commands/deadlines-command.ts")).deadlinesCommand(opts, services, io);
    case "template":
      return (await import("./cli/commands/template-command.ts")).templateCommand(opts, io);
    case "ingest":
      return (await import("./cli/commands/ingest-command.ts")).ingestCommand(opts, config.KNOWLEDGE_DIR, io);
    case "chat": {
      const [{ chatCommand }, { chatTurn }] = await Promise.all([
        import("./cli/commands/chat-command.ts"),
        import("./app/chat-turn.ts"),
      ]);
      services.prepare();
      const chat = await createChat(services);
      try {
        return await chatCommand((msg) => chatTurn(msg, chat), io, process.stdin);
      } finally {
        await chat.store.close();
      }
    }
    case "reminders":
      return (await import("./cli/commands/reminders-command.ts")).remindersCommand(
        opts,
        config,
        services,
        io,
        createChat,
      );
    case "worker":
      return (await import("./cli/commands/worker-command.ts")).workerCommand(
        config,
        services,
        io,
        createChat,
      );
    case "serve": {
      const [{ serveCommand }, { wireServer }] = await Promise.all([
        import("./cli/commands/serve-command.ts"),
        import("./serve-wiring.ts"),
      ]);
      const server = await wireServer(config, services);
      const where = {
        host: config.HOST,
        port: config.PORT,
        sessions: server.sessions,
        graceMs: config.SHUTDOWN_GRACE_MS,
      };
      return serveCommand(server.http, where, io, () => server.close());
    }
    default:
      io.stderr.write(`${MESSAGES.unknownCommand(opts.command)}\n`);
      return 2;
  }
}

/** File-system errors that name a path the user gave (missing, not allowed, a folder, read-only). */
const FILE_ERRORS = new Set(["ENOENT", "EACCES", "EPERM", "EISDIR", "ENOTDIR", "EROFS", "ENAMETOOLONG"]);

/** Runs one command line; returns the exit status. */
export async function run(
  argv: string[],
  io: Io,
  env: NodeJS.ProcessEnv = process.env,
  clock: Clock = systemClock,
): Promise<number> {
  let opts;
  try {
    opts = parseCliOptions(argv);
  } catch (err) {
    io.stderr.write(`${err instanceof Error ? err.message : String(err)}\n${MESSAGES.usage}\n`);
    return 2;
  }
  if (opts.help || opts.command === "help") {
    io.stdout.write(`${MESSAGES.usage}\n`);
    return 0;
  }
  const parts = PARTS[opts.command];
  if (!parts) {
    io.stderr.write(`${MESSAGES.unknownCommand(opts.command)}\n`);
    return 2;
  }
  try {
    const config = loadConfig(env);
    return await dispatch(opts, config, await createServices(config, clock, parts), io);
  } catch (err) {
    // One error handler for the CLI: the user gets a Chinese message, the detail goes to stderr.
    if (err instanceof InvalidOptionError) {
      io.stderr.write(`${MESSAGES.badOption(err.option, err.reason)}\n`);
      return 2;
    }
    if (err instanceof RangeError || err instanceof NoticeLoadError) {
      io.stderr.write(`${err.message}\n`);
      return 2;
    }
    // A file named on the command line that cannot be read or written: the user's to fix, not a crash.
    const fsError = err as NodeJS.ErrnoException;
    if (
      typeof fsError.code === "string" &&
      typeof fsError.path === "string" &&
      FILE_ERRORS.has(fsError.code)
    ) {
      io.stderr.write(`${MESSAGES.cannotAccess(fsError.path, fsError.code)}\n`);
      return 2;
    }
    io.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
    return 1;
  }
}

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntry) {
  const code = await run(process.argv.slice(2), { stdout: process.stdout, stderr: process.stderr });
  process.exitCode = code;
}
