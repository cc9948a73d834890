// What HR keeps of a report: the contract's `--summary` object, and the filled sheet's result cells in Chinese.
import type { EligibilityReport, LineError } from "../shared/report.ts";
import type { ProfileField } from "../shared/profile.ts";
import { FIELD_NAMES } from "../i18n/zh-CN.ts";
import { isImmutable } from "../rules/immutable.ts";
import { HR_RESULT_LABELS, HR_VERDICT_NAMES } from "../i18n/hr-messages.ts";

/** Contract (`check --summary`): a report reduced to its verdict, the month, the facts missing and the unmet criteria. */
export interface ReportSummary {
  id?: string;
  verdict: EligibilityReport["verdict"];
  earliestEligible: string | null;
  missing: string[];
  unmet: string[];
  sourcesNotHeld: string[];
}

/** The summary of a report, keys in the contract's order. */
export function summarise(report: EligibilityReport): ReportSummary {
  const unmet = unmetIds(report);
  return {
    ...(report.id === undefined ? {} : { id: report.id }),
    verdict: report.verdict,
    earliestEligible: report.earliestEligible,
    missing: report.missing,
    unmet,
    sourcesNotHeld: report.sourcesNotHeld,
  };
}

// The engine shares criteria lists, missing lists and source lists between reports (frozen, registered): their
// JSON is built once per list, not once per line (the summary line would otherwise cost more than the check).
const jsonTexts = new WeakMap<object, string>();
function cachedJson(value: object, build: () => unknown): string {
  if (!isImmutable(value)) return JSON.stringify(build());
  let text = jsonTexts.get(value);
  if (text === undefined) jsonTexts.set(value, (text = JSON.stringify(build())));
  return text;
}

const unmetIds = (report: EligibilityReport) =>
  report.criteria.filter((c) => c.status === "unmet").map((c) => c.id);

/** `JSON.stringify(summarise(report))`, the same text, from JSON cached per shared list. */
export function summaryJson(report: EligibilityReport): string {
  return (
    (report.id === undefined ? "{" : `{"id":${JSON.stringify(report.id)},`) +
    `"verdict":"${report.verdict}","earliestEligible":${report.earliestEligible === null ? "null" : JSON.stringify(report.earliestEligible)}` +
    `,"missing":${cachedJson(report.missing, () => report.missing)}` +
    `,"unmet":${cachedJson(report.criteria, () => unmetIds(report))}` +
    `,"sourcesNotHeld":${cachedJson(report.sourcesNotHeld, () => report.sourcesNotHeld)}}`
  );
}

/** Headers of the result columns, in the order {@link resultCells} fills them. */
export const RESULT_HEADERS: readonly string[] = [
  HR_RESULT_LABELS.verdictText,
  HR_RESULT_LABELS.verdict,
  HR_RESULT_LABELS.earliestEligible,
  HR_RESULT_LABELS.missing,
  HR_RESULT_LABELS.unmet,
  HR_RESULT_LABELS.sourcesNotHeld,
  HR_RESULT_LABELS.error,
];

// A batch repeats the same few dozen criteria: each one's text is built once.
const unmetTexts = new Map<string, string>();
function unmetText(c: EligibilityReport["criteria"][number]): string {
  const key = `${c.id}\u0000${c.citation.clauseId}`;
  let hit = unmetTexts.get(key);
  if (hit === undefined) {
    hit = `${c.description}（${c.citation.docNumber ?? c.citation.title} ${c.citation.path}）`;
    if (unmetTexts.size < 10_000) unmetTexts.set(key, hit);
  }
  return hit;
}

/** The result cells of one row: verdict in Chinese and as the contract's value, month, missing facts, unmet criteria with their clauses. */
export function resultCells(result: EligibilityReport | LineError): string[] {
  if ("error" in result) return ["", "", "", "", "", "", result.error.message];
  const unmet: string[] = [];
  for (const c of result.criteria) if (c.status === "unmet") unmet.push(unmetText(c));
  return [
    HR_VERDICT_NAMES[result.verdict],
    result.verdict,
    result.earliestEligible ?? "",
    result.missing.map((f) => FIELD_NAMES[f as ProfileField] ?? f).join("、"),
    unmet.join("；"),
    result.sourcesNotHeld.join("、"),
    "",
  ];
}
