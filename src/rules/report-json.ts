// Serialises eligibility reports as JSON Lines from cached fragments: the shared, frozen parts (criteria
// with their full citations, assumptions, deadlines, rounds) are stringified and UTF-8 encoded once, not per report.
import type { EligibilityReport } from "../shared/report.ts";
import { isImmutable } from "./immutable.ts";

/** JSON text of a value and, when it is cached, the same text UTF-8 encoded. */
export interface JsonFragment {
  text: string;
  bytes?: Uint8Array;
}

const cache = new WeakMap<object, Required<JsonFragment>>();
const encoder = new TextEncoder();

/** The JSON of `value`, from the cache when it is a registered immutable value (cached on first use). */
function fragment(value: unknown): JsonFragment {
  if (!isImmutable(value)) return { text: JSON.stringify(value) };
  let hit = cache.get(value);
  if (!hit) {
    const text = JSON.stringify(value);
    cache.set(value, (hit = { text, bytes: encoder.encode(text) }));
  }
  return hit;
}

// The key order `assess` builds reports in (JSON.stringify follows insertion order).
const KEYS = [
  "id",
  "verdict",
  "criteria",
  "missing",
  "sourcesNotHeld",
  "assumptions",
  "earliestEligible",
  "deadlines",
  "rounds",
] as const;

/** True when the report has exactly the keys `assess` writes, in its order, none undefined. */
function hasEngineShape(report: EligibilityReport): boolean {
  if ("toJSON" in report) return false;
  let i = report.id === undefined ? 1 : 0;
  for (const key in report) {
    if (key !== KEYS[i] || (report as unknown as Record<string, unknown>)[key] === undefined) return false;
    i++;
  }
  return i === KEYS.length;
}

/**
 * The report's JSON as fragments, in order; their texts joined equal `JSON.stringify(report)` byte for
 * byte (any other shape falls back to exactly that).
 */
export function reportJsonFragments(report: EligibilityReport): JsonFragment[] {
  if (!hasEngineShape(report)) return [{ text: JSON.stringify(report) }];
  const head =
    (report.id === undefined ? "{" : `{"id":${JSON.stringify(report.id)},`) +
    `"verdict":${JSON.stringify(report.verdict)},"criteria":`;
  return [
    { text: head },
    fragment(report.criteria),
    { text: `,"missing":${fragment(report.missing).text},"sourcesNotHeld":` },
    fragment(report.sourcesNotHeld),
    { text: ',"assumptions":' },
    fragment(report.assumptions),
    { text: `,"earliestEligible":${JSON.stringify(report.earliestEligible)},"deadlines":` },
    fragment(report.deadlines),
    { text: ',"rounds":' },
    fragment(report.rounds),
    { text: "}" },
  ];
}

/** `JSON.stringify(report)`, byte-identical, assembled from cached fragments. */
export function reportToJsonLine(report: EligibilityReport): string {
  let line = "";
  for (const f of reportJsonFragments(report)) line += f.text;
  return line;
}
