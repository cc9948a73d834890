// `ingest FILE --id … --title …`: adds a notice as data — validates, segments, re-indexes, proposes deadlines.
import { copyFileSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { extname, join } from "node:path";
import { findDates } from "../../knowledge/find-dates.ts";
import { buildNotice, loadKnowledgeBase, regionsBeside } from "../../knowledge/knowledge-base.ts";
import type { CliOptions } from "../cli-options.ts";
import type { Io } from "../services.ts";
import { MESSAGES } from "../../i18n/cli-messages.ts";

/** Plain text of a notice file: .txt as is, .docx through mammoth. */
export async function readNoticeText(file: string): Promise<string> {
  const ext = extname(file).toLowerCase();
  if (ext === ".docx") {
    const mammoth = await import("mammoth");
    const { value } = await mammoth.extractRawText({ path: file });
    return value;
  }
  if (ext === ".txt" || ext === "") return readFileSync(file, "utf8");
  throw new RangeError(`不支持的文件类型：${ext}（支持 .txt、.docx）`);
}

/** Metadata from the command's options, in the shape `knowledge/notices/<id>.json` holds. */
function metaFromOptions(opts: CliOptions): Record<string, unknown> {
  return {
    docId: opts.id,
    title: opts.title,
    docNumber: opts.number ?? null,
    issuer: opts.issuer ?? null,
    date: opts.date ?? null,
    region: opts.region,
    levels: opts.levels?.split(",").map((l) => l.trim()),
    kind: opts.kind ?? "round-notice",
  };
}

export async function ingestCommand(opts: CliOptions, knowledgeDir: string, io: Io): Promise<number> {
  const file = opts.positionals[0];
  if (!file) throw new RangeError(MESSAGES.missingArgument("FILE"));
  if (!opts.id) throw new RangeError(MESSAGES.missingArgument("--id"));
  const source = await readNoticeText(file);
  const metaData = metaFromOptions(opts);
  const dir = join(knowledgeDir, "notices");
  const notice = buildNotice(`--id ${opts.id}`, metaData, source, undefined, regionsBeside(dir));
  const textFile = join(dir, `${notice.meta.docId}.txt`);
  if (existsSync(textFile)) throw new RangeError(`已存在同名通知：${notice.meta.docId}`);
  if (extname(file).toLowerCase() === ".txt") copyFileSync(file, textFile);
  else writeFileSync(textFile, source);
  writeFileSync(join(dir, `${notice.meta.docId}.json`), `${JSON.stringify(notice.meta, null, 2)}\n`);
  // Re-index from disk: the same load every start-up does, so a bad file fails here, not later.
  const kb = loadKnowledgeBase(dir);
  const clauses = kb.notice(notice.meta.docId)?.clauses ?? [];
  const year = notice.meta.date ? Number(notice.meta.date.slice(0, 4)) : undefined;
  const dates = findDates(clauses, year);
  if (opts.json) {
    io.stdout.write(
      `${JSON.stringify({ docId: notice.meta.docId, clauses: clauses.length, proposedDeadlines: dates })}\n`,
    );
    return 0;
  }
  const lines = [MESSAGES.ingested(notice.meta.docId, clauses.length)];
  lines.push(dates.length ? MESSAGES.proposedDeadlines : MESSAGES.noDatesFound);
  for (const d of dates) lines.push(`  ${d.date}${d.time ? ` ${d.time}` : ""}  ${d.path}  ${d.sentence}`);
  io.stdout.write(`${lines.join("\n")}\n`);
  return 0;
}
