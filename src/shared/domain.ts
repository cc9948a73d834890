// The vocabulary every layer shares: regions, levels, citations and clauses.
import { loadRegions, regionLabel } from "./regions.ts";

export { REGION_ID } from "./regions.ts";

/**
 * A region id of knowledge/regions.json (contract: profile.region). Regions are data: adding one is an entry
 * in that file plus its notices, rules and deadlines, and no change here.
 */
export type Region = string;

/** The ids of the project's regions file, in its order (the values a profile's region may take). */
export const REGIONS = loadRegions().regions.map((r) => r.id) as [Region, ...Region[]];

/** Title levels, lowest first (contract: profile.targetLevel). */
export const LEVELS = ["technician", "assistant", "engineer", "senior", "professor"] as const;
export type Level = (typeof LEVELS)[number];

/** Chinese names of the regions (labels of the regions file) and levels, for messages and citations. */
export const REGION_NAMES: Readonly<Record<Region, string>> = Object.fromEntries(
  REGIONS.map((id) => [id, regionLabel(id)]),
);
export const LEVEL_NAMES: Record<Level, string> = {
  technician: "技术员",
  assistant: "助理工程师",
  engineer: "工程师",
  senior: "高级工程师",
  professor: "正高级工程师",
};

/** A clause's place and words, as every answer cites it (contract: Citation). */
export interface Citation {
  docId: string;
  clauseId: string;
  title: string;
  docNumber?: string;
  path: string;
  text: string;
}

/** One node of a notice's outline. */
export interface Clause {
  clauseId: string;
  docId: string;
  /** Place in the notice, e.g. `附件 三、(四)1.` */
  path: string;
  /** Heading lines of the ancestors, outermost first (context for ranking and display). */
  headings: string[];
  /** The clause's own words (its marker line and unmarked body paragraphs), whitespace normalised. */
  text: string;
  /** [start, end) offsets into the notice's source text. */
  start: number;
  end: number;
}

export type NoticeKind = "measures" | "round-notice" | "draft";

/** Metadata kept beside each notice text (`knowledge/notices/<docId>.json`). */
export interface NoticeMeta {
  docId: string;
  title: string;
  docNumber: string | null;
  issuer: string | null;
  date: string | null;
  effectiveFrom?: string | undefined;
  region: Region;
  levels: Level[];
  kind: NoticeKind;
}

export interface Notice {
  meta: NoticeMeta;
  source: string;
  clauses: Clause[];
}

/** The citation for a clause of a notice. */
export function citationOf(meta: NoticeMeta, clause: Clause): Citation {
  return {
    docId: meta.docId,
    clauseId: clause.clauseId,
    title: meta.title,
    ...(meta.docNumber ? { docNumber: meta.docNumber } : {}),
    path: clause.path,
    text: clause.text,
  };
}
