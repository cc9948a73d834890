// `clause` lookup for hotline staff: references (doc number or id + path), phrases and keywords.
import type { KnowledgeBase } from "../knowledge/knowledge-base.ts";
import type { Clause } from "../shared/domain.ts";
import type { ClauseResult } from "../shared/report.ts";
import { normalizeQuery } from "./normalize-query.ts";
import type { ClauseRetriever } from "./retriever.ts";

/** What `lookupClauses` needs. */
export interface LookupDeps {
  kb: KnowledgeBase;
  retriever: ClauseRetriever;
}

const DEFAULT_LIMIT = 10;

/** Folds a reference so that 〔〕/[]/［］, （）/(), 、 , dots and spaces do not matter. */
export function foldReference(text: string): string {
  return normalizeQuery(text)
    .toLowerCase()
    .replace(/[〔［【\[]/gu, "[")
    .replace(/[〕］】\]]/gu, "]")
    .replace(/[\s、.．,，:：]/gu, "");
}

/** A clause's folded path and text, folded once: a lookup compares every clause, and folding dominated its time. */
const foldedClauses = new WeakMap<Clause, { path: string; text: string }>();
function folds(clause: Clause): { path: string; text: string } {
  let f = foldedClauses.get(clause);
  if (f === undefined) {
    f = { path: foldReference(clause.path), text: foldReference(clause.text) };
    foldedClauses.set(clause, f);
  }
  return f;
}

/** The folded number and id of each notice, by knowledge base (a reload builds a new one). */
const noticeKeys = new WeakMap<KnowledgeBase, Array<{ docId: string; keys: string[] }>>();

interface Scored {
  clause: Clause;
  score: number;
}

// A reference names a notice (number or id); what follows may be a path within it.
function referencedNotice(kb: KnowledgeBase, folded: string): { docId: string; rest: string } | undefined {
  let notices = noticeKeys.get(kb);
  if (notices === undefined) {
    notices = [...kb.notices.values()].map((notice) => ({
      docId: notice.meta.docId,
      keys: [notice.meta.docId, notice.meta.docNumber].filter((k): k is string => !!k).map(foldReference),
    }));
    noticeKeys.set(kb, notices);
  }
  for (const { docId, keys } of notices) {
    for (const key of keys) {
      const at = folded.indexOf(key);
      if (at >= 0) return { docId, rest: folded.slice(0, at) + folded.slice(at + key.length) };
    }
  }
  return undefined;
}

// Clauses whose folded path equals the folded text (first), then those under it, in notice order.
function byPath(clauses: readonly Clause[], path: string): Clause[] {
  if (path === "") return [];
  const exact = clauses.filter((c) => folds(c).path === path);
  const under = clauses.filter((c) => folds(c).path.startsWith(path) && !exact.includes(c));
  return [...exact, ...under];
}

/**
 * Ranked clauses for a hotline query, best first: a clause reference (`京人社事业发〔2020〕30号 附件
 * 三(四)`, `beijing-ai-title-2020 附件三、(四)`) puts that clause first and the clauses under it next;
 * otherwise clauses containing the exact phrase come first, then the BM25 ranking. Never throws.
 */
export function lookupClauses(query: string, deps: LookupDeps, limit: number = DEFAULT_LIMIT): ClauseResult {
  const { kb, retriever } = deps;
  const max = Math.max(1, Math.min(100, Math.floor(Number.isFinite(limit) ? limit : DEFAULT_LIMIT)));
  const normalized = normalizeQuery(typeof query === "string" ? query : "");
  if (normalized === "") return { query, clauses: [] };
  const folded = foldReference(normalized);
  const ref = referencedNotice(kb, folded);
  const results: Scored[] = [];
  const seen = new Set<string>();
  const push = (clause: Clause, score: number): void => {
    if (seen.has(clause.clauseId)) return;
    seen.add(clause.clauseId);
    results.push({ clause, score });
  };

  const scope = ref ? (kb.notice(ref.docId)?.clauses ?? []) : kb.clauses;
  const pathHits = byPath(scope, ref ? ref.rest : folded);
  // Reference matches outrank any text match: their scores sit above the best BM25 score.
  const textHits = retriever.search(ref && pathHits.length === 0 && ref.rest !== "" ? ref.rest : normalized, {
    limit: Math.max(max * 3, 20),
  });
  const ceiling = (textHits[0]?.score ?? 0) + pathHits.length + 1;
  pathHits.forEach((c, i) => push(c, ceiling - i));
  if (ref && ref.rest === "") {
    // A bare document reference: the notice in its own order.
    scope.forEach((c, i) => push(c, ceiling - pathHits.length - i * 0.001));
  }
  // Exact phrase (folded) before ranked words: staff type the notice's own wording.
  const phrase = foldReference(normalized);
  const phraseBonus = textHits[0]?.score ?? 1;
  const inScope = (c: Clause): boolean => !ref || c.docId === ref.docId;
  if (phrase.length >= 2 && !ref) {
    for (const c of kb.clauses) {
      if (folds(c).text.includes(phrase)) {
        const own = textHits.find((h) => h.clause === c)?.score ?? 0;
        results.push({ clause: c, score: own + phraseBonus });
        seen.add(c.clauseId);
      }
    }
  }
  for (const h of textHits) if (inScope(h.clause)) push(h.clause, h.score);
  results.sort((a, b) => b.score - a.score);
  return {
    query,
    clauses: results
      .slice(0, max)
      .map((r) => ({ ...kb.cite(r.clause.clauseId), score: Math.round(r.score * 1000) / 1000 })),
  };
}
