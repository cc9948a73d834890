// Composition root: reads the configuration, builds the concrete parts lazily, runs a command.
import { join } from "node:path";
import { pathToFileURL } from "node:url";
import { loadConfig, llmSettings, type Config } from "./config.ts";
import { loadKnowledgeBase, type KnowledgeBase } from "./knowledge/knowledge-base.ts";
import { NoticeLoadError } from "./knowledge/notice-meta.ts";
import { systemClock, todayInShanghai, type Clock } from "./shared/clock.ts";
import { ClauseRetriever } from "./retrieval/retriever.ts";
import { answerQuestion } from "./retrieval/answer-question.ts";
import { lookupClauses } from "./retrieval/lookup-clauses.ts";
import { checkQuestion } from "./retrieval/question-input.ts";
import { LlmSynthesizer } from "./retrieval/llm-synthesis.ts";
import { loadRules } from "./rules/load-rules.ts";
import type { RuleBook } from "./rules/rule-book.ts";
import { assess, assessProfile } from "./rules/assess.ts";
import { listDeadlines } from "./rules/deadlines.ts";
import { toIcs } from "./rules/ics.ts";
import { parseCliOptions } from "./cli/cli-options.ts";
import type { Io, Services } from "./cli/services.ts";
import { askCommand } from "./cli/commands/ask-command.ts";
import { clauseCommand } from "./cli/commands/clause-command.ts";
import { checkCommand } from "./cli/commands/check-command.ts";
import { deadlinesCommand } from "./cli/commands/deadlines-command.ts";
import { ingestCommand } from "./cli/commands/ingest-command.ts";
import { chatCommand } from "./cli/commands/chat-command.ts";
import { serveCommand } from "./cli/commands/serve-command.ts";
import { createHttpServer } from "./http/http-server.ts";
import { chatTurn, type ChatTurnDeps } from "./app/chat-turn.ts";
import { createSessionStore } from "./sessions/create-session-store.ts";
import { DIALOG_STATE_VERSION, type DialogDeps, type DialogState } from "./dialogs/types.ts";
import { migrateDialogState } from "./dialogs/migrate-dialog-state.ts";
import { MESSAGES } from "./i18n/cli-messages.ts";

function lazy<T>(build: () => T): () => T {
  let value: T | undefined;
  let built = false;
  return () => {
    if (!built) {
      value = build();
      built = true;
    }
    return value as T;
  };
}

/** Wires the concrete parts; each is built on first use so `check` never loads the retriever. */
export function createServices(config: Config, clock: Clock): Services {
  const knowledge = lazy<KnowledgeBase>(() => loadKnowledgeBase(join(config.KNOWLEDGE_DIR, "notices")));
  const retriever = lazy(() => ClauseRetriever.build(knowledge()));
  const rules = lazy<RuleBook>(() => loadRules(join(config.KNOWLEDGE_DIR, "rules"), knowledge()));
  const llmConfig = llmSettings(config);
  const llm = llmConfig ? new LlmSynthesizer({ ...llmConfig, timeoutMs: config.LLM_TIMEOUT_MS }) : undefined;
  return {
    config,
    clock,
    knowledge,
    checkQuestion,
    ask: (question) =>
      answerQuestion(question, { kb: knowledge(), retriever: retriever(), ...(llm ? { llm } : {}) }),
    clauses: (query, limit) => lookupClauses(query, { kb: knowledge(), retriever: retriever() }, limit),
    check: (profile) => assessProfile(rules(), profile, todayInShanghai(clock)),
    assess: (profile, asOf) => assess(rules(), profile, asOf).report,
    deadlines: (filter) => listDeadlines(rules().deadlines, filter),
    ics: (deadlines) => toIcs(deadlines, clock.now()),
  };
}

/** The session store and dialog for chat channels, from the configuration. */
export function createChat(services: Services, log?: (line: string) => void): ChatTurnDeps {
  const { config, clock } = services;
  const store = createSessionStore<DialogState>({
    ...(config.REDIS_URL ? { redisUrl: config.REDIS_URL, prefix: config.REDIS_PREFIX } : {}),
    version: DIALOG_STATE_VERSION,
    migrate: migrateDialogState,
    ttlSeconds: Math.round(config.SESSION_TTL_DAYS * 86_400),
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    clock,
    ...(log ? { onRedisError: (e: Error) => log(`redis: ${e.message}`) } : {}),
  });
  const dialog: DialogDeps = {
    assess: services.assess,
    ask: services.ask,
    clauses: services.clauses,
    deadlines: services.deadlines,
    clock,
    ttlDays: config.SESSION_TTL_DAYS,
  };
  return { store, dialog, ...(log ? { log } : {}) };
}

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
  const config = loadConfig(env);
  const services = createServices(config, clock);
  try {
    switch (opts.command) {
      case "ask":
        return await askCommand(opts, services, io);
      case "clause":
        return await clauseCommand(opts, services, io);
      case "check":
        return await checkCommand(opts, services, io);
      case "deadlines":
        return deadlinesCommand(opts, services, io);
      case "ingest":
        return await ingestCommand(opts, config.KNOWLEDGE_DIR, io);
      case "chat": {
        const chat = createChat(services);
        try {
          return await chatCommand((msg) => chatTurn(msg, chat), io, process.stdin);
        } finally {
          await chat.store.close();
        }
      }
      case "serve": {
        const chat = createChat(services);
        const log = (line: string) => io.stderr.write(`${line}\n`);
        const server = createHttpServer({
          services,
          chat: (m) => chatTurn({ channel: "web", ...m }, chat),
          log,
        });
        const sessions = config.REDIS_URL ? "Redis" : "内存（未设置 REDIS_URL，重启后会话清空）";
        return await serveCommand(server, { host: config.HOST, port: config.PORT, sessions }, io, () =>
          chat.store.close(),
        );
      }
      default:
        io.stderr.write(`${MESSAGES.unknownCommand(opts.command)}\n`);
        return 2;
    }
  } catch (err) {
    // One error handler for the CLI: the user gets a Chinese message, the detail goes to stderr.
    if (err instanceof RangeError || err instanceof NoticeLoadError) {
      io.stderr.write(`${err.message}\n`);
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
