// Application rounds in time: a notice with dated steps is a round, open from its notice to its last step.
import type { Level, Region } from "../shared/domain.ts";
import type { Round, RoundStatus, ScopedRound } from "../shared/report.ts";

/** A round as loaded from its deadlines file (knowledge/deadlines/*.yaml). */
export interface RoundSpan {
  docId: string;
  region: Region;
  levels: readonly Level[];
  /** First day of the round (its notice's date), or null when nothing says (then never "upcoming"). */
  opens: string | null;
  /** The last step anyone takes (counting dates such as a qualification cut-off excluded). */
  lastStep: string;
}

/**
 * The day a round opens from its notice's date: the date itself, or for a notice dated by its year only
 * ("2024") or month the first day of it, the earliest it can have opened; null without a date.
 */
export function roundOpens(noticeDate: string | null): string | null {
  if (noticeDate === null) return null;
  if (/^\d{4}-\d{2}-\d{2}$/.test(noticeDate)) return noticeDate;
  if (/^\d{4}-\d{2}$/.test(noticeDate)) return `${noticeDate}-01`;
  const year = /^(\d{4})/.exec(noticeDate)?.[1];
  return year === undefined ? null : `${year}-01-01`;
}

/** A round's status on `asOf`: before it opens, up to and including its last step, after it. Pure. */
export function roundStatus(span: RoundSpan, asOf: string): RoundStatus {
  if (span.opens !== null && asOf < span.opens) return "upcoming";
  return asOf <= span.lastStep ? "open" : "closed";
}

/** The rounds covering a region (and a level, when given) judged on `asOf`, in last-step order. Pure. */
export function roundsCovering(
  spans: readonly RoundSpan[],
  scope: { region: Region; level?: Level | undefined },
  asOf: string,
): Round[] {
  return spans
    .filter((s) => s.region === scope.region && (scope.level === undefined || s.levels.includes(scope.level)))
    .sort((a, b) => a.lastStep.localeCompare(b.lastStep) || a.docId.localeCompare(b.docId))
    .map((s) => ({ docId: s.docId, status: roundStatus(s, asOf), lastStep: s.lastStep }));
}

/** Every round with its scope, judged on `asOf` (what `ask` is given). Pure. */
export function judgeRounds(spans: readonly RoundSpan[], asOf: string): ScopedRound[] {
  return spans.map((s) => ({
    docId: s.docId,
    status: roundStatus(s, asOf),
    lastStep: s.lastStep,
    region: s.region,
    levels: s.levels,
    opens: s.opens,
  }));
}
