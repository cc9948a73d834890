// Shared fixtures for the rules tests: the project's knowledge base and rule book, loaded once per file.
import { join } from "node:path";
import { loadKnowledgeBase, type KnowledgeBase } from "../../src/knowledge/knowledge-base.ts";
import { loadRules } from "../../src/rules/load-rules.ts";
import type { RuleBook } from "../../src/rules/rule-book.ts";
import { KNOWLEDGE_DIR } from "../support/paths.ts";

export const RULES_DIR = join(KNOWLEDGE_DIR, "rules");
export const DEADLINES_DIR = join(KNOWLEDGE_DIR, "deadlines");

let kb: KnowledgeBase | undefined;
let book: RuleBook | undefined;

export function knowledgeBase(): KnowledgeBase {
  return (kb ??= loadKnowledgeBase(join(KNOWLEDGE_DIR, "notices")));
}

export function ruleBook(): RuleBook {
  return (book ??= loadRules(RULES_DIR, knowledgeBase()));
}
