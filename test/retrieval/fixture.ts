// The real knowledge base and retriever, built once per test file.
import { readFileSync } from "node:fs";
import { loadKnowledgeBase } from "../../src/knowledge/knowledge-base.ts";
import { ClauseRetriever } from "../../src/retrieval/retriever.ts";
import { KNOWLEDGE_DIR } from "../support/paths.ts";

export const kb = loadKnowledgeBase(`${KNOWLEDGE_DIR}/notices`);
export const retriever = ClauseRetriever.build(kb);

/** One evaluation question (same format as the project's question sets). */
export interface EvalQuestion {
  id: string;
  q: string;
  docs: string[];
  key: string;
  answerable: boolean;
  /** For a question asking for a specific fact: a regex of the notice's words the answer must state. */
  fact?: string;
}

export function readQuestions(file: string): EvalQuestion[] {
  return readFileSync(new URL(file, import.meta.url), "utf8")
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => JSON.parse(l) as EvalQuestion);
}

/** NFKC and no whitespace, as the scorer compares a key with a citation's text. */
export const fold = (s: string): string => s.normalize("NFKC").replace(/\s+/g, "");
