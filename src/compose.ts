// The composition of the parts: services (notices, retrieval, rules) and the chat (session store, dialog) from the
// configuration. Apart from main.ts so that the server's wiring can use it without importing the CLI entry (whose
// top-level await would deadlock a cyclic import).
import { join } from "node:path";
import { llmSettings, redisSettings, type Config } from "./config.ts";
import { loadKnowledgeBase, type KnowledgeBase } from "./knowledge/knowledge-base.ts";
import { todayInShanghai, type Clock } from "./shared/clock.ts";
import type { Services } from "./app/services.ts";
import type { ChatTurnDeps } from "./app/chat-turn.ts";
import { onceAMinute } from "./app/throttled-log.ts";
import { createUserKeyer } from "./app/user-key.ts";
import type { DialogState } from "./dialogs/types.ts";

/** The parts a command can need; each is imported only when asked for (start-up time and memory). */
export type ServicePart = "retrieval" | "rules";

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

function notLoaded(part: ServicePart): never {
  throw new Error(`service part not loaded: ${part}`);
}

/**
 * Wires the concrete parts. Modules of the parts not asked for are never imported, and what is
 * imported is built on first use, so `check --batch` loads neither the retriever nor LangChain.
 */
export async function createServices(
  config: Config,
  clock: Clock,
  parts: readonly ServicePart[] = ["retrieval", "rules"],
): Promise<Services> {
  const knowledge = lazy<KnowledgeBase>(() => loadKnowledgeBase(join(config.KNOWLEDGE_DIR, "notices")));
  const [retrievalMods, rulesMods] = await Promise.all([
    parts.includes("retrieval")
      ? Promise.all([
          import("./retrieval/retriever.ts"),
          import("./retrieval/answer-question.ts"),
          import("./retrieval/lookup-clauses.ts"),
          import("./retrieval/question-input.ts"),
          import("./rules/round-book.ts"),
        ])
      : undefined,
    parts.includes("rules")
      ? Promise.all([
          import("./rules/load-rules.ts"),
          import("./rules/assess.ts"),
          import("./rules/deadlines.ts"),
          import("./rules/ics.ts"),
        ])
      : undefined,
  ]);
  const llmConfig = llmSettings(config);
  const llm =
    retrievalMods && llmConfig
      ? new (await import("./retrieval/llm-synthesis.ts")).LlmSynthesizer({
          ...llmConfig,
          timeoutMs: config.LLM_TIMEOUT_MS,
        })
      : undefined;

  const builds: Array<() => unknown> = [knowledge];
  let retrieval: Pick<Services, "checkQuestion" | "ask" | "clauses"> = {
    checkQuestion: () => notLoaded("retrieval"),
    ask: () => notLoaded("retrieval"),
    clauses: () => notLoaded("retrieval"),
  };
  if (retrievalMods) {
    const [{ ClauseRetriever }, { answerQuestion }, { lookupClauses }, { checkQuestion }, { roundsOnDay }] =
      retrievalMods;
    const retriever = lazy(() => ClauseRetriever.build(knowledge()));
    // Answers depend on the day asked (a round may be over): the rounds are judged on it, today by default.
    const rounds = lazy(() => roundsOnDay(join(config.KNOWLEDGE_DIR, "deadlines"), knowledge()));
    builds.push(retriever, rounds);
    retrieval = {
      checkQuestion,
      ask: (question, asOf) =>
        answerQuestion(question, {
          kb: knowledge(),
          retriever: retriever(),
          timing: rounds()(asOf ?? todayInShanghai(clock)),
          ...(llm ? { llm } : {}),
        }),
      clauses: (query, limit) => lookupClauses(query, { kb: knowledge(), retriever: retriever() }, limit),
    };
  }

  let rules: Pick<Services, "check" | "assess" | "deadlines" | "ics"> = {
    check: () => notLoaded("rules"),
    assess: () => notLoaded("rules"),
    deadlines: () => notLoaded("rules"),
    ics: () => notLoaded("rules"),
  };
  if (rulesMods) {
    const [{ loadRules }, { assess, assessProfile }, { listDeadlines }, { toIcs }] = rulesMods;
    const book = lazy(() => loadRules(join(config.KNOWLEDGE_DIR, "rules"), knowledge()));
    builds.push(book);
    rules = {
      check: (profile) => assessProfile(book(), profile, todayInShanghai(clock)),
      assess: (profile, asOf) => assess(book(), profile, asOf).report,
      deadlines: (filter) => listDeadlines(book().deadlines, filter),
      ics: (deadlines) => toIcs(deadlines, clock.now()),
    };
  }
  const prepare = () => builds.forEach((build) => build());
  return { config, clock, knowledge, prepare, ...retrieval, ...rules };
}

/**
 * The session store, the user keyer and the dialog for chat channels, from the configuration. `log` gets failure
 * lines (Redis connection errors, turns answered "busy"), each distinct line at most once a minute: an outage
 * repeats them every second and for every message.
 */
export async function createChat(
  services: Services,
  log?: (line: string) => void,
  /** Every Redis connection error, unthrottled (for counting; the log gets one line per cause a minute). */
  onStoreError?: () => void,
): Promise<ChatTurnDeps> {
  const { config, clock } = services;
  const [{ createSessionStore }, { DIALOG_STATE_VERSION }, { migrateDialogState }] = await Promise.all([
    import("./sessions/create-session-store.ts"),
    import("./dialogs/types.ts"),
    import("./dialogs/migrate-dialog-state.ts"),
  ]);
  const failures = log ? onceAMinute(clock, log) : undefined;
  const store = createSessionStore<DialogState>({
    // Cluster nodes win over Sentinels, Sentinels over REDIS_URL; none of them set: the in-memory store.
    ...redisSettings(config),
    version: DIALOG_STATE_VERSION,
    migrate: migrateDialogState,
    ttlSeconds: Math.round(config.SESSION_TTL_DAYS * 86_400),
    rateLimitPerMinute: config.RATE_LIMIT_PER_MINUTE,
    dedupeTtlSeconds: config.DEDUPE_TTL_SECONDS,
    clock,
    onRedisError: (error: Error) => {
      onStoreError?.();
      failures?.(`redis: ${error.message}`);
    },
  });
  // User ids are stored only as keyed hashes: under USER_ID_SECRET, or the store's shared random secret.
  const userKey = createUserKeyer(config.USER_ID_SECRET ?? (() => store.userIdSecret()));
  const dialog = {
    assess: services.assess,
    ask: services.ask,
    clauses: services.clauses,
    deadlines: services.deadlines,
    clock,
    ttlDays: config.SESSION_TTL_DAYS,
  };
  return { store, dialog, userKey, ...(failures ? { log: failures } : {}) };
}
