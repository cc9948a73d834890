// Finds the calendar dates a notice prints, with their clause: proposed deadlines for staff to confirm.
import type { Clause } from "../shared/domain.ts";

export interface FoundDate {
  date: string;
  time?: string;
  clauseId: string;
  path: string;
  /** The sentence the date stands in. */
  sentence: string;
}

// "2024年9月20日24:00", "9月20日" (year from the nearest full date before it in the clause).
const DATE = /(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日(?:\s*(\d{1,2})\s*[:：]\s*(\d{2}))?/g;

const pad = (n: string | number) => String(n).padStart(2, "0");

function sentenceAround(text: string, index: number): string {
  const before = text.slice(0, index).search(/[^。；;\n]*$/);
  const afterMatch = /[。；;\n]/.exec(text.slice(index));
  const end = afterMatch ? index + afterMatch.index + 1 : text.length;
  const sentence = text.slice(before, end).trim();
  // A date alone in its sentence ("；2024年10月20日18:00。") needs the clause's words to mean anything.
  return sentence.replace(/[\d年月日:：。；;\s]/g, "").length < 4 ? text.trim() : sentence;
}

/**
 * Every date in the clauses, in order. A month-day without a year takes the year of the last full
 * date in the same clause, or `defaultYear`; with neither it is skipped rather than guessed.
 */
export function findDates(clauses: readonly Clause[], defaultYear?: number): FoundDate[] {
  const found: FoundDate[] = [];
  for (const clause of clauses) {
    let year = defaultYear;
    for (const m of clause.text.matchAll(DATE)) {
      const [, y, mo, d, hh, mm] = m;
      if (y) year = Number(y);
      if (year === undefined || !mo || !d) continue;
      const month = Number(mo);
      const day = Number(d);
      if (month < 1 || month > 12 || day < 1 || day > 31) continue;
      found.push({
        date: `${year}-${pad(month)}-${pad(day)}`,
        ...(hh && mm ? { time: `${pad(hh)}:${mm}` } : {}),
        clauseId: clause.clauseId,
        path: clause.path,
        sentence: sentenceAround(clause.text, m.index),
      });
    }
  }
  return found;
}
