// Recognises the outline markers Chinese notices number their clauses with.

/** Outline levels, outermost first: 一、 > (一) > 1. > (1). */
export type MarkerKind = "chapter" | "section" | "item" | "subitem";

export interface OutlineMarker {
  kind: MarkerKind;
  /** Normalised label as it appears in a path: `三、`, `(四)`, `2.`, `(1)`. */
  label: string;
  /** Length of the marker in the paragraph text, to find the heading after it. */
  length: number;
}

export const MARKER_RANK: Record<MarkerKind, number> = { chapter: 1, section: 2, item: 3, subitem: 4 };

const PATTERNS: Array<{ kind: MarkerKind; re: RegExp; label: (n: string) => string }> = [
  { kind: "chapter", re: /^([一二三四五六七八九十]{1,3})\s*[、，]/, label: (n) => `${n}、` },
  { kind: "section", re: /^[（(]\s*([一二三四五六七八九十]{1,3})\s*[）)]/, label: (n) => `(${n})` },
  { kind: "subitem", re: /^[（(]\s*(\d{1,2})\s*[）)]/, label: (n) => `(${n})` },
  { kind: "item", re: /^(\d{1,2})\s*[.．、]/, label: (n) => `${n}.` },
];

/** Markdown-ish bullets the extraction put in front of some items ("- 1.获得…"). */
const BULLET = /^[-•·]\s+/;

export function stripBullet(text: string): string {
  return text.replace(BULLET, "");
}

/** The outline marker a paragraph starts with, if any. */
export function outlineMarker(paragraph: string): OutlineMarker | undefined {
  const text = stripBullet(paragraph);
  for (const p of PATTERNS) {
    const m = p.re.exec(text);
    if (m?.[1])
      return { kind: p.kind, label: p.label(m[1]), length: m[0].length + (paragraph.length - text.length) };
  }
  return undefined;
}

/** A standalone annex line: `附件`, `附件1`, `附件 2`. */
export function annexLabel(paragraph: string): string | undefined {
  const m = /^附件\s*(\d*)$/.exec(paragraph.trim());
  return m ? `附件${m[1] ?? ""}` : undefined;
}

/** A list of attachments (`附件：1.… 2.…`) rather than an annex itself. */
export function isAttachmentList(paragraph: string): boolean {
  return /^附件\s*[:：]/.test(paragraph.trim());
}
