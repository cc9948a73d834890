// List questions (哪些程序, 流程是什么): the items under the heading that names the asked list, in order.
import type { Citation, Clause } from "../shared/domain.ts";
import { RETRIEVAL_TEXT } from "../i18n/retrieval-messages.ts";
import type { AskDeps } from "./answer-question.ts";
import { clauseLabel, clauseLocation } from "./clause-location.ts";
import type { QueryAnalysis } from "./query-analysis.ts";
import type { SearchHit } from "./retriever.ts";

/** Hits (by score, relative to the best) whose headings may name the list a question asks for. */
const LIST_SCORE_RATIO = 0.8;
/** Longest item line of an enumerated answer. */
const LIST_ITEM_MAX_CHARS = 60;

const OWN_NUMBER = /^[（(]?[一二三四五六七八九十\d]+[)）、.．]\s*/u;

/** An enumerated answer: its text, its citations (listed clauses first) and the listed clauses. */
export interface ListAnswer {
  answer: string;
  citations: Citation[];
  listed: Clause[];
}

// The words naming the list a question asks for (哪些程序, 流程是什么), if it asks for one.
function askedList(deps: AskDeps, analysis: QueryAnalysis): readonly string[] | undefined {
  const { cues, lists } = deps.retriever.data.lexicon.enumeration;
  if (!cues.some((c) => analysis.normalized.includes(c))) return undefined;
  return lists.find((group) => group.some((w) => analysis.normalized.includes(w)));
}

/**
 * The heading whose items answer a list question: walking up from the best hits, the first clause
 * whose label names the list decides. A heading with items is enumerated; a clause naming the list
 * in its own text ("（一）申报流程。市本级…") answers by itself, so there is nothing to enumerate.
 */
function listHeading(
  deps: AskDeps,
  hits: readonly SearchHit[],
  words: readonly string[],
): Clause | undefined {
  const best = hits[0]?.score ?? 0;
  for (const hit of hits) {
    if (hit.score < LIST_SCORE_RATIO * best) break;
    for (let node: Clause | undefined = hit.clause; node; node = deps.retriever.parentOf(node)) {
      const label = clauseLabel(node);
      if (!words.some((w) => label.includes(w))) continue;
      return deps.retriever.childrenOf(node).length >= 2 ? node : undefined;
    }
  }
  return undefined;
}

// The items of a heading in notice order, each by its first sentence, and their citations.
function enumerate(
  deps: AskDeps,
  heading: Clause,
  citations: readonly Citation[],
  maxCitations: number,
): ListAnswer {
  const { kb, retriever } = deps;
  const items = retriever.childrenOf(heading);
  const lines = items.map((c) => {
    // Up to the first full stop: an item's alternatives ("…国家标准;或…地方标准") belong together.
    const first = (c.text.split(/(?<=[。！？\n])/u)[0] ?? c.text).trim();
    return first.length > LIST_ITEM_MAX_CHARS ? `${first.slice(0, LIST_ITEM_MAX_CHARS)}…` : first;
  });
  // A heading that says more than a name ("具备下列条件之一,可不受学历…限制:") is cited before its items.
  const listed = [...(retriever.isBareHeading(heading) ? [] : [heading]), ...items];
  const cited = listed.map((c) => kb.cite(c.clauseId));
  const rest = citations.filter((c) => !listed.some((l) => l.clauseId === c.clauseId));
  // What a heading says beyond its label ("…等程序上报高评委办公室。") is part of the answer.
  const label = clauseLabel(heading);
  const body = heading.text
    .slice(heading.text.indexOf(label) + label.length)
    .replace(/^[。；;：:\s]+/u, "")
    .trim();
  const title = label.replace(OWN_NUMBER, "");
  return {
    // The path already carries the heading's own number ("五、"): the label goes without it.
    answer: RETRIEVAL_TEXT.listFrom(clauseLocation(kb, heading), body ? `${title}：${body}` : title, lines),
    citations: [...cited, ...rest].slice(0, Math.max(maxCitations, cited.length)),
    listed,
  };
}

/**
 * The enumerated answer to a list question whose list heads the best hits, or undefined when the
 * question asks for no list or no heading over the hits names it. Every listed item is cited, even
 * beyond `maxCitations`.
 */
export function enumerateList(
  deps: AskDeps,
  analysis: QueryAnalysis,
  hits: readonly SearchHit[],
  citations: readonly Citation[],
  maxCitations: number,
): ListAnswer | undefined {
  const list = askedList(deps, analysis);
  const heading = list ? listHeading(deps, hits, list) : undefined;
  return heading ? enumerate(deps, heading, citations, maxCitations) : undefined;
}
