// Read-only views of the knowledge base for the web console: the notices, a notice as a clause tree, one clause
// with its parent headings and neighbours, and the citation line staff read out or paste.
import type { KnowledgeBase } from "../knowledge/knowledge-base.ts";
import { outlineMarker } from "../knowledge/outline-marker.ts";
import { REGION_NAMES, citationOf, type Citation, type Clause, type NoticeMeta } from "../shared/domain.ts";

/** A notice as the console lists it (filters: region, year). */
export interface NoticeSummary {
  docId: string;
  title: string;
  docNumber: string | null;
  issuer: string | null;
  date: string | null;
  /** The year of `date`, or of a 〔YYYY〕 in the document number, or one in the title; null when none says. */
  year: number | null;
  region: string;
  regionName: string;
  levels: string[];
  kind: NoticeMeta["kind"];
  clauseCount: number;
}

/** One clause as a node of its notice's outline. */
export interface OutlineNode {
  clauseId: string;
  path: string;
  /** The clause's first phrase without its marker ("申报条件" of "三、申报条件"). */
  label: string;
  /** 0 for a top-level clause (一、, a preamble paragraph), 1 for (一), … */
  depth: number;
  /** The enclosing clause; null at the top of the notice or of an annex. */
  parentId: string | null;
}

/** A clause in its context. */
export interface ClauseContext {
  citation: Citation;
  /** `京人社事业发〔2020〕30号 附件 三、(四)：<text>` */
  citationText: string;
  notice: NoticeSummary;
  /** Enclosing clauses, outermost first. */
  ancestors: OutlineNode[];
  children: OutlineNode[];
  previous: OutlineNode | null;
  next: OutlineNode | null;
}

/** A clause's first phrase without its outline marker, as its heading (三、高级工程师 → 高级工程师). */
export function clauseHeading(text: string): string {
  const marker = outlineMarker(text);
  const rest = marker ? text.slice(marker.length) : text;
  return (rest.split(/[。；;：:\n]/u)[0] ?? rest).trim();
}

/** The year a notice belongs to (the console's year filter). */
export function noticeYear(meta: NoticeMeta): number | null {
  const found =
    /^(\d{4})/.exec(meta.date ?? "") ??
    /〔(\d{4})〕/.exec(meta.docNumber ?? "") ??
    /(20\d{2})/.exec(meta.title);
  return found?.[1] ? Number(found[1]) : null;
}

/** How a reader finds the notice: its number, else its title in 《》. */
export function noticeReference(meta: NoticeMeta): string {
  return meta.docNumber ?? `《${meta.title}》`;
}

/** The line "复制引用" copies: `<number or 《title》> <path>：<text>` (the text on one line). */
export function citationLine(citation: Citation): string {
  const doc = citation.docNumber ?? `《${citation.title}》`;
  return `${doc} ${citation.path}：${citation.text.replace(/\s*\n\s*/gu, " ").trim()}`;
}

/** Scope of a path: the annex it lies in (`附件`, `附件2`), or "" for the notice body. */
function scopeOf(path: string): string {
  const space = path.indexOf(" ");
  return space < 0 ? "" : path.slice(0, space);
}

/** The notices in the knowledge base's order. */
export function listNotices(kb: KnowledgeBase): NoticeSummary[] {
  return [...kb.notices.values()].map((n) => summary(n.meta, n.clauses.length));
}

function summary(meta: NoticeMeta, clauseCount: number): NoticeSummary {
  return {
    docId: meta.docId,
    title: meta.title,
    docNumber: meta.docNumber,
    issuer: meta.issuer,
    date: meta.date,
    year: noticeYear(meta),
    region: meta.region,
    regionName: REGION_NAMES[meta.region] ?? meta.region,
    levels: [...meta.levels],
    kind: meta.kind,
    clauseCount,
  };
}

const outlines = new WeakMap<readonly Clause[], OutlineNode[]>();

/**
 * A notice's clauses as outline nodes, in notice order: the parent of a clause is the nearest clause before it,
 * in the same annex, one heading level up (clauses carry their ancestors' headings).
 */
export function outlineOf(clauses: readonly Clause[]): OutlineNode[] {
  const cached = outlines.get(clauses);
  if (cached) return cached;
  const nodes: OutlineNode[] = [];
  let stack: OutlineNode[] = [];
  let scope: string | undefined;
  for (const c of clauses) {
    const s = scopeOf(c.path);
    if (s !== scope) {
      stack = [];
      scope = s;
    }
    const depth = c.headings.length;
    while (stack.length > depth) stack.pop();
    const parent = depth > 0 ? stack[depth - 1] : undefined;
    const node: OutlineNode = {
      clauseId: c.clauseId,
      path: c.path,
      label: clauseHeading(c.text),
      depth,
      parentId: parent?.clauseId ?? null,
    };
    stack[depth] = node;
    stack.length = depth + 1;
    nodes.push(node);
  }
  outlines.set(clauses, nodes);
  return nodes;
}

/** A notice with its outline; undefined for an unknown id. */
export function noticeOutline(
  kb: KnowledgeBase,
  docId: string,
): { notice: NoticeSummary; clauses: Array<OutlineNode & { text: string }> } | undefined {
  const notice = kb.notice(docId);
  if (!notice) return undefined;
  const nodes = outlineOf(notice.clauses);
  return {
    notice: summary(notice.meta, notice.clauses.length),
    clauses: nodes.map((node, i) => ({ ...node, text: notice.clauses[i]?.text ?? "" })),
  };
}

/** A clause with its parent headings, children and neighbours in notice order; undefined for an unknown id. */
export function clauseContext(kb: KnowledgeBase, clauseId: string): ClauseContext | undefined {
  const clause = kb.clause(clauseId);
  const notice = clause && kb.notice(clause.docId);
  if (!clause || !notice) return undefined;
  const nodes = outlineOf(notice.clauses);
  const at = nodes.findIndex((n) => n.clauseId === clauseId);
  const byId = new Map(nodes.map((n) => [n.clauseId, n]));
  const ancestors: OutlineNode[] = [];
  for (let p = nodes[at]?.parentId; p; p = byId.get(p)?.parentId) {
    const node = byId.get(p);
    if (node) ancestors.unshift(node);
  }
  const citation = citationOf(notice.meta, clause);
  return {
    citation,
    citationText: citationLine(citation),
    notice: summary(notice.meta, notice.clauses.length),
    ancestors,
    children: nodes.filter((n) => n.parentId === clauseId),
    previous: nodes[at - 1] ?? null,
    next: nodes[at + 1] ?? null,
  };
}
