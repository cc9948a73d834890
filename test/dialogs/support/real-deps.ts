// The real engine, deadlines and Q&A over the project's knowledge/ folder, as dialog deps for tests.
import type { DialogDeps } from "../../../src/dialogs/types.ts";
import { loadKnowledgeBase } from "../../../src/knowledge/knowledge-base.ts";
import { answerQuestion } from "../../../src/retrieval/answer-question.ts";
import { lookupClauses } from "../../../src/retrieval/lookup-clauses.ts";
import { ClauseRetriever } from "../../../src/retrieval/retriever.ts";
import { assess } from "../../../src/rules/assess.ts";
import { listDeadlines } from "../../../src/rules/deadlines.ts";
import { loadRules } from "../../../src/rules/load-rules.ts";
import { fixedClock, type Clock } from "../../../src/shared/clock.ts";
import { KNOWLEDGE_DIR } from "../../support/paths.ts";

let cached: Omit<DialogDeps, "clock" | "ttlDays"> | undefined;

function build(): Omit<DialogDeps, "clock" | "ttlDays"> {
  const kb = loadKnowledgeBase(`${KNOWLEDGE_DIR}/notices`);
  const book = loadRules(`${KNOWLEDGE_DIR}/rules`, kb);
  const retriever = ClauseRetriever.build(kb);
  return {
    assess: (profile, asOf) => assess(book, profile, asOf).report,
    ask: (question) => answerQuestion(question, { kb, retriever }),
    clauses: (query, limit) => lookupClauses(query, { kb, retriever }, limit),
    deadlines: (filter) =>
      listDeadlines(book.deadlines, filter).filter((d) => !filter.after || d.date >= filter.after),
  };
}

/** Real deps (loaded once per test file) at a fixed instant; 2024-08-15 in Shanghai by default. */
export function realDeps(clock: Clock = fixedClock("2024-08-15T04:00:00Z")): DialogDeps {
  cached ??= build();
  return { ...cached, clock, ttlDays: 30 };
}
