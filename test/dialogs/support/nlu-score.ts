// Scores the dialog's reading of the paraphrase corpus (test/dialogs/paraphrases.jsonl): fact-level precision and
// recall, for the corpus test and `npm run bench -- nlu`. Messages go through what a chat turn does before the form:
// normalising, spelling (English words, typos), then fact extraction with the pending question as context.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { extractFacts, type Extraction } from "../../../src/dialogs/parse/extract-facts.ts";
import { normalizeInput } from "../../../src/dialogs/parse/normalize-input.ts";
import { readSpelling } from "../../../src/dialogs/parse/spelling.ts";
import type { ProfileField } from "../../../src/shared/profile.ts";

/** One labelled message: what the user typed, the question pending (if any), and the facts it holds. */
export interface Paraphrase {
  text: string;
  pending?: ProfileField;
  facts: Record<string, string>;
}

export const PARAPHRASES_FILE = fileURLToPath(new URL("../paraphrases.jsonl", import.meta.url));

/** The day the corpus's relative dates ("去年6月", "做了5年") are read against. */
export const CORPUS_TODAY = "2024-08-15";

export function loadParaphrases(file = PARAPHRASES_FILE): Paraphrase[] {
  return readFileSync(file, "utf8")
    .split("\n")
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as Paraphrase);
}

/** An extraction as flat facts, in the corpus's labels (see the corpus README lines in paraphrases.jsonl's test). */
export function flatFacts(ex: Extraction, ambiguousSpelling: boolean): Record<string, string> {
  const out: Record<string, string> = {};
  if (ambiguousSpelling) return out;
  const f = ex.facts;
  for (const [k, v] of Object.entries(f)) {
    if (v === undefined || k === "awards") continue;
    out[k] = typeof v === "object" ? JSON.stringify(v) : String(v);
  }
  if (f.awards) {
    if (f.awards.length === 0 && ex.awardsWithoutRank.length === 0) out.awards = "none";
    for (const a of f.awards) out[`awards.${a.kind}`] = String(a.rank);
  }
  for (const kind of ex.awardsWithoutRank) out[`awards.${kind}`] = "rank?";
  if (ex.title.level) out["currentTitle.level"] = ex.title.level;
  if (ex.title.obtained) out["currentTitle.obtained"] = ex.title.obtained;
  if (ex.title.series) out["currentTitle.series"] = ex.title.series;
  if (ex.yearOnly) {
    const key = ex.yearOnly.field === "currentTitle" ? "currentTitle.obtained" : ex.yearOnly.field;
    out[key] = `year:${ex.yearOnly.year}`;
  }
  if (ex.specialtySinceGraduation) out.specialtyWorkSince = "since-graduation";
  if (ex.ambiguousPostgraduate && !f.education) out.education = "postgraduate?";
  if (ex.province) out.region = `province:${ex.province.name}`;
  if (ex.unsupportedPlace && !f.region) out.region = `unsupported:${ex.unsupportedPlace}`;
  if (ex.outOfRange) out[ex.outOfRange.field] = "out-of-range";
  for (const field of ex.unknownFields) out[field] = "unknown";
  return out;
}

/** What the dialog reads from one message, as flat facts. */
export function readMessage(p: Paraphrase): Record<string, string> {
  const spelled = readSpelling(normalizeInput(p.text));
  const ex = extractFacts(spelled.text, { today: CORPUS_TODAY, pending: p.pending, profile: {} });
  const flat = flatFacts(ex, spelled.ambiguous !== undefined);
  if (ex.unknownPending && p.pending) flat[p.pending] = "unknown";
  return flat;
}

export interface NluScore {
  messages: number;
  labelledFacts: number;
  readFacts: number;
  correct: number;
  precision: number;
  recall: number;
  /** Messages read wrongly, for the test's failure message and the bench's detail. */
  errors: Array<{
    text: string;
    pending?: string;
    expected: Record<string, string>;
    read: Record<string, string>;
  }>;
}

/** Fact-level precision (read facts that are labelled) and recall (labelled facts that are read). */
export function scoreParaphrases(corpus: Paraphrase[] = loadParaphrases()): NluScore {
  let labelled = 0;
  let read = 0;
  let correct = 0;
  const errors: NluScore["errors"] = [];
  for (const p of corpus) {
    const got = readMessage(p);
    const keys = Object.keys(got);
    labelled += Object.keys(p.facts).length;
    read += keys.length;
    const right = keys.filter((k) => p.facts[k] === got[k]).length;
    correct += right;
    if (right !== keys.length || right !== Object.keys(p.facts).length)
      errors.push({
        text: p.text,
        ...(p.pending ? { pending: p.pending } : {}),
        expected: p.facts,
        read: got,
      });
  }
  return {
    messages: corpus.length,
    labelledFacts: labelled,
    readFacts: read,
    correct,
    precision: read === 0 ? 1 : correct / read,
    recall: labelled === 0 ? 1 : correct / labelled,
    errors,
  };
}
