// The columns of an HR staff sheet: each profile field (nested ones flattened), its Chinese label, and how a
// cell becomes the contract's value (the value itself, its Chinese name, an Excel date where a month is expected).
import { LEVEL_NAMES, LEVELS, REGIONS } from "../shared/domain.ts";
import { loadRegions } from "../shared/regions.ts";
import { AWARD_KINDS, EDUCATIONS, EMPLOYER_TYPES } from "../shared/profile.ts";
import { AWARD_NAMES, EDUCATION_NAMES, EMPLOYER_NAMES } from "../i18n/zh-CN.ts";
import { HR_COLUMN_LABELS, HR_TEXT } from "../i18n/hr-messages.ts";

/** What a sheet cell can hold once read (ExcelJS values reduced to these; CSV cells are strings). */
export type Cell = string | number | boolean | Date | null | undefined;

/** A column key: a profile field, or a nested one flattened (`currentTitle.level`). */
export type ColumnKey = keyof typeof HR_COLUMN_LABELS;

/** A cell's value for the profile, or why it cannot be read (the expected form, in Chinese). */
export type CellValue = { ok: true; value: unknown } | { ok: false; expected: string };

type Parse = (cell: Exclude<Cell, null | undefined>) => CellValue;

export interface Column {
  key: ColumnKey;
  label: string;
  /** What the column takes, in Chinese (the template's 填写说明 sheet). */
  hint: string;
  parse: Parse;
}

const ok = (value: unknown): CellValue => ({ ok: true, value });
const bad = (expected: string): CellValue => ({ ok: false, expected });
const text = (cell: Exclude<Cell, null | undefined>): string =>
  cell instanceof Date ? cell.toISOString().slice(0, 10) : String(cell).trim();
const normalise = (s: string) => s.trim().toLowerCase().replace(/\s+/g, "");

/** A closed vocabulary: the contract's values, their Chinese names and common synonyms, read case-insensitively. */
function vocabulary(
  values: readonly string[],
  names: Record<string, string>,
  synonyms: Record<string, string> = {},
) {
  const table = new Map<string, string>();
  for (const v of values) table.set(normalise(v), v);
  for (const [v, name] of Object.entries(names)) table.set(normalise(name), v);
  for (const [word, v] of Object.entries(synonyms)) table.set(normalise(word), v);
  const expected = HR_TEXT.expected.oneOf(values.map((v) => (names[v] ? `${v}（${names[v]}）` : v)));
  const parse: Parse = (cell) => {
    const hit = table.get(normalise(text(cell)));
    return hit === undefined ? bad(expected) : ok(hit);
  };
  return [parse, expected] as const;
}

const regionNames: Record<string, string> = {};
const regionSynonyms: Record<string, string> = {};
for (const r of loadRegions().regions) {
  regionNames[r.id] = r.name;
  regionSynonyms[r.label] = r.id;
  for (const place of r.places) regionSynonyms[place] = r.id;
}

const levelSynonyms = {
  高工: "senior",
  正高: "professor",
  教授级高工: "professor",
  中级: "engineer",
  助工: "assistant",
};

/** Days from 1899-12-30 (Excel's day 0, with its 1900 leap-year bug) to a date. */
function excelSerialToDate(serial: number): Date | undefined {
  if (!Number.isFinite(serial) || serial < 1 || serial > 2_958_465) return undefined;
  return new Date(Date.UTC(1899, 11, 30) + Math.floor(serial) * 86_400_000);
}

/** Year, month and day of a cell: an Excel date (a Date, or a date serial number) or a written date. */
function dateParts(cell: Exclude<Cell, null | undefined>): [number, number, number | undefined] | undefined {
  let date: Date | undefined;
  if (cell instanceof Date) date = cell;
  else if (typeof cell === "number") date = cell >= 10_000 ? excelSerialToDate(cell) : undefined;
  // ExcelJS reads a date cell as a Date at UTC midnight of the day Excel shows.
  if (date)
    return Number.isNaN(date.getTime())
      ? undefined
      : [date.getUTCFullYear(), date.getUTCMonth() + 1, date.getUTCDate()];
  const s = String(cell).trim();
  const m =
    /^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*(?:[-/.月]\s*(?:(\d{1,2})\s*日?)?)?$/.exec(s) ??
    /^(\d{4})(\d{2})(\d{2})?$/.exec(s);
  if (!m) return undefined;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), m[3] === undefined ? undefined : Number(m[3])];
  return mo >= 1 && mo <= 12 && (d === undefined || (d >= 1 && d <= 31)) ? [y, mo, d] : undefined;
}

const pad = (n: number) => String(n).padStart(2, "0");

function yearMonth(cell: Exclude<Cell, null | undefined>): CellValue {
  const parts = dateParts(cell);
  return parts ? ok(`${parts[0]}-${pad(parts[1])}`) : bad(HR_TEXT.expected.yearMonth);
}

function day(cell: Exclude<Cell, null | undefined>): CellValue {
  const parts = dateParts(cell);
  return parts?.[2] !== undefined
    ? ok(`${parts[0]}-${pad(parts[1])}-${pad(parts[2])}`)
    : bad(HR_TEXT.expected.day);
}

function integer(cell: Exclude<Cell, null | undefined>): CellValue {
  const n = typeof cell === "number" ? cell : /^\d+$/.test(text(cell)) ? Number(text(cell)) : NaN;
  return Number.isInteger(n) && n >= 0 ? ok(n) : bad(HR_TEXT.expected.integer);
}

function number(cell: Exclude<Cell, null | undefined>): CellValue {
  const n = typeof cell === "number" ? cell : /^-?\d+(\.\d+)?$/.test(text(cell)) ? Number(text(cell)) : NaN;
  return Number.isFinite(n) ? ok(n) : bad(HR_TEXT.expected.number);
}

const YES = new Set(["是", "true", "yes", "y", "1", "满足", "符合", "已完成", "完成", "有", "√", "✓"]);
const NO = new Set(["否", "false", "no", "n", "0", "不满足", "不符合", "未完成", "没有", "无", "×", "✗"]);
function yesNo(cell: Exclude<Cell, null | undefined>): CellValue {
  if (typeof cell === "boolean") return ok(cell);
  const s = normalise(text(cell));
  return YES.has(s) ? ok(true) : NO.has(s) ? ok(false) : bad(HR_TEXT.expected.yesNo);
}

const [awardKind] = vocabulary(AWARD_KINDS, AWARD_NAMES);
/** `kind:rank;kind:rank` (Chinese punctuation too); `none`, 无 or 没有 = no awards. */
function awards(cell: Exclude<Cell, null | undefined>): CellValue {
  const s = text(cell);
  if (["none", "无", "没有"].includes(normalise(s))) return ok([]);
  const list: Array<{ kind: unknown; rank: number }> = [];
  for (const part of s.split(/[;；、\n]/)) {
    if (!part.trim()) continue;
    const m = /^(.+?)\s*[:：]\s*第?\s*(\d+)\s*名?$/.exec(part.trim());
    const kind = m?.[1] === undefined ? undefined : awardKind(m[1]);
    const rank = Number(m?.[2]);
    if (!kind?.ok || !(rank >= 1)) return bad(HR_TEXT.expected.awards);
    list.push({ kind: kind.value, rank });
  }
  return list.length > 0 ? ok(list) : bad(HR_TEXT.expected.awards);
}

const E = HR_TEXT.expected;
const parsers: Record<ColumnKey, readonly [Parse, string]> = {
  id: [(cell) => ok(typeof cell === "number" ? String(cell) : text(cell)), E.text],
  region: vocabulary(REGIONS, regionNames, regionSynonyms),
  targetLevel: vocabulary(LEVELS, LEVEL_NAMES, levelSynonyms),
  education: vocabulary(EDUCATIONS, EDUCATION_NAMES, {
    中职: "secondary-vocational",
    专科: "junior-college",
    大学本科: "bachelor",
    学士: "bachelor",
    硕士研究生: "master",
    研究生: "master",
    博士研究生: "doctorate",
  }),
  graduated: [yearMonth, E.yearMonth],
  specialtyWorkSince: [yearMonth, E.yearMonth],
  "currentTitle.level": vocabulary(
    ["none", ...LEVELS],
    { none: "无", ...LEVEL_NAMES },
    { 无职称: "none", ...levelSynonyms },
  ),
  "currentTitle.series": vocabulary(
    ["same", "other"],
    { same: "本系列", other: "其他系列" },
    { 同系列: "same", 非本系列: "other" },
  ),
  "currentTitle.obtained": [yearMonth, E.yearMonth],
  employerType: vocabulary(EMPLOYER_TYPES, EMPLOYER_NAMES, {
    国企: "state-owned",
    国有企事业单位: "state-owned",
    民营企业: "private",
    外资企业: "private",
    非公企业: "private",
    参公单位: "civil-servant-managed",
    参公: "civil-servant-managed",
    退休: "retired",
  }),
  awards: [awards, E.awards],
  achievements: [integer, E.integer],
  performanceMet: [yesNo, E.yesNo],
  selfScore: [number, E.number],
  continuingEducationMet: [yesNo, E.yesNo],
  otherApplicationThisYear: [yesNo, E.yesNo],
  firstApplication: [yesNo, E.yesNo],
  asOf: [day, E.day],
};

/** Every column, in the template's order. */
export const COLUMNS: readonly Column[] = (Object.keys(HR_COLUMN_LABELS) as ColumnKey[]).map((key) => ({
  key,
  label: HR_COLUMN_LABELS[key],
  parse: parsers[key][0],
  hint: parsers[key][1],
}));

const byHeader = new Map<string, Column>();
for (const c of COLUMNS) {
  byHeader.set(normalise(c.key), c);
  byHeader.set(normalise(c.label), c);
}

/**
 * The column a header cell names: the field name (any case) or the template's label; a note in brackets after
 * it (`毕业时间（YYYY-MM）`) is ignored. Undefined for a column of the staff's own (name, department…).
 */
export function columnOf(header: Cell): Column | undefined {
  if (header === null || header === undefined) return undefined;
  const name = normalise(text(header)).replace(/[（(].*[)）]$/, "");
  return byHeader.get(name);
}
