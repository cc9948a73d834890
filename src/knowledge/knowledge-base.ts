// The notices as addressable clauses: loaded from `knowledge/notices`, validated, segmented.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { citationOf, type Citation, type Clause, type Notice } from "../shared/domain.ts";
import { loadRegions, type RegionCatalogue } from "../shared/regions.ts";
import { NoticeLoadError, parseNoticeMeta } from "./notice-meta.ts";
import { segmentNotice } from "./segment-notice.ts";

/** The notices and their clauses, indexed by id. Immutable once built. */
export class KnowledgeBase {
  readonly notices: ReadonlyMap<string, Notice>;
  readonly clauses: readonly Clause[];
  private readonly byId: ReadonlyMap<string, Clause>;

  constructor(notices: Notice[]) {
    this.notices = new Map(notices.map((n) => [n.meta.docId, n]));
    this.clauses = notices.flatMap((n) => n.clauses);
    this.byId = new Map(this.clauses.map((c) => [c.clauseId, c]));
  }

  clause(clauseId: string): Clause | undefined {
    return this.byId.get(clauseId);
  }

  notice(docId: string): Notice | undefined {
    return this.notices.get(docId);
  }

  /** The citation of a clause; throws on an unknown id (rules are validated against this). */
  cite(clauseId: string): Citation {
    const clause = this.byId.get(clauseId);
    const notice = clause && this.notices.get(clause.docId);
    if (!clause || !notice) throw new Error(`unknown clause id: ${clauseId}`);
    return citationOf(notice.meta, clause);
  }
}

/** Builds a notice from its metadata object and source text. */
export function buildNotice(
  file: string,
  metaData: unknown,
  source: string,
  expectedDocId?: string,
  regions: RegionCatalogue = loadRegions(),
): Notice {
  const meta = parseNoticeMeta(file, metaData, expectedDocId);
  // Which regions exist is the regions file's to say: a notice for any other is refused before it is written.
  if (!regions.regions.some((r) => r.id === meta.region))
    throw new NoticeLoadError(file, "region", `地区 ${meta.region} 不在地区文件中`);
  if (!source.trim()) throw new NoticeLoadError(file, "text", "正文为空");
  return { meta, source, clauses: segmentNotice(meta.docId, source) };
}

/** The regions file of a knowledge folder (`<notices>/../regions.json`), else the project's. */
export function regionsBeside(noticesDir: string): RegionCatalogue {
  const file = join(noticesDir, "..", "regions.json");
  return existsSync(file) ? loadRegions(file) : loadRegions();
}

/** Loads every `<docId>.txt` + `<docId>.json` pair in a folder; each notice's region must be in the regions file. */
export function loadKnowledgeBase(dir: string): KnowledgeBase {
  let files: string[];
  try {
    files = readdirSync(dir);
  } catch (cause) {
    throw new NoticeLoadError(dir, "(folder)", "无法读取通知文件夹（请检查 KNOWLEDGE_DIR）", { cause });
  }
  const texts = files.filter((f) => f.endsWith(".txt")).sort();
  const regions = regionsBeside(dir);
  if (texts.length === 0) throw new NoticeLoadError(dir, "(folder)", "文件夹中没有通知（.txt）");
  const notices = texts.map((file) => {
    const docId = file.slice(0, -".txt".length);
    const metaFile = join(dir, `${docId}.json`);
    let metaData: unknown;
    try {
      metaData = JSON.parse(readFileSync(metaFile, "utf8"));
    } catch (cause) {
      throw new NoticeLoadError(metaFile, "(file)", "无法读取或不是合法 JSON", { cause });
    }
    return buildNotice(metaFile, metaData, readFileSync(join(dir, file), "utf8"), docId, regions);
  });
  return new KnowledgeBase(notices);
}
