// Segments a notice into clauses along its own outline (一、 (一) 1. (1) 附件 …).
import type { Clause } from "../shared/domain.ts";
import { paragraphsOf } from "./join-lines.ts";
import {
  MARKER_RANK,
  annexLabel,
  isAttachmentList,
  outlineMarker,
  type MarkerKind,
} from "./outline-marker.ts";

interface OpenNode {
  kind: MarkerKind | "attachments";
  label: string;
  heading: string;
}

const PREAMBLE = "前言";
const ATTACHMENTS = "附件目录";

/** The heading of a clause: its first phrase, up to the first sentence mark. */
function headingOf(text: string): string {
  const first = text.split(/[。；;：:]/)[0] ?? text;
  return first.length <= 40 ? first : `${first.slice(0, 40)}…`;
}

/** Path text for a scope prefix (`附件`) and the open outline labels. */
function pathOf(scope: string, labels: string[]): string {
  const inner = labels.join("");
  return scope ? `${scope} ${inner}`.trim() : inner;
}

/**
 * Splits a notice's source text into clauses. Clause ids are `<docId>:<path without spaces>`,
 * stable as long as the notice's outline is; a repeated path gets a `#n` suffix.
 */
export function segmentNotice(docId: string, source: string): Clause[] {
  const clauses: Clause[] = [];
  const seen = new Map<string, number>();
  let scope = "";
  let stack: OpenNode[] = [];
  let preambleCount = 0;
  let current: Clause | undefined;

  const open = (path: string, headings: string[], text: string, start: number, end: number) => {
    const key = path.replace(/\s+/g, "");
    const n = (seen.get(key) ?? 0) + 1;
    seen.set(key, n);
    current = { clauseId: `${docId}:${key}${n > 1 ? `#${n}` : ""}`, docId, path, headings, text, start, end };
    clauses.push(current);
  };

  for (const p of paragraphsOf(source)) {
    const annex = annexLabel(p.text);
    if (annex) {
      scope = annex;
      stack = [];
      preambleCount = 0;
      current = undefined;
      continue;
    }
    if (isAttachmentList(p.text)) {
      stack = [{ kind: "attachments", label: ATTACHMENTS, heading: "附件" }];
      open(pathOf(scope, [ATTACHMENTS]), [], p.text, p.start, p.end);
      continue;
    }
    const marker = outlineMarker(p.text);
    if (marker) {
      const rank = MARKER_RANK[marker.kind];
      while (stack.length) {
        const top = stack[stack.length - 1];
        if (!top || top.kind === "attachments" || MARKER_RANK[top.kind] < rank) break;
        stack.pop();
      }
      const headings = stack.map((n) => n.heading);
      stack.push({ kind: marker.kind, label: marker.label, heading: headingOf(p.text) });
      open(
        pathOf(
          scope,
          stack.map((n) => n.label),
        ),
        headings,
        p.text,
        p.start,
        p.end,
      );
      continue;
    }
    if (current && stack.length) {
      // An unmarked paragraph under a heading is that clause's body.
      current.text = `${current.text}\n${p.text}`;
      current.end = p.end;
      continue;
    }
    preambleCount += 1;
    open(pathOf(scope, [`${PREAMBLE}${preambleCount}`]), [], p.text, p.start, p.end);
    current = undefined;
  }
  return clauses;
}
