// The turn handler every channel feeds: (state, message) → (state, replies). No I/O beyond deps.
import { FIELD_NAMES, ZH } from "../i18n/zh-CN.ts";
import type { InboundMessage, Reply } from "../shared/chat.ts";
import { regionLabels } from "../shared/regions.ts";
import { todayInShanghai } from "../shared/clock.ts";
import type { ProfileField } from "../shared/profile.ts";
import { advanceForm, detailsReply, type TurnOutcome } from "./advance-form.ts";
import { ask, deadlines, pendingField, pendingQuestion, regionsOf, withResume } from "./lookup-turns.ts";
import { applyExtraction } from "./apply-extraction.ts";
import {
  asksPolicy,
  detectIntent,
  isStatement,
  looksLikeQuestion,
  wantsEligibility,
  type Intent,
} from "./intent.ts";
import { clausesReply } from "./lookup-replies.ts";
import { migrateDialogState } from "./migrate-dialog-state.ts";
import { extractFacts, type Extraction } from "./parse/extract-facts.ts";
import { fieldToEdit, isCorrection } from "./parse/field-mention.ts";
import { hasReadableContent, MAX_INPUT_CHARS, normalizeInput } from "./parse/normalize-input.ts";
import { readSpelling } from "./parse/spelling.ts";
import { LEXICON } from "./dialog-lexicon.ts";
import { whyUnknownMatters } from "./why-unknown-matters.ts";
import { clarificationQuestion, questionFor } from "./question-for.ts";
import { recordedLine } from "./recorded-line.ts";
import { resolveClarification } from "./resolve-clarification.ts";
import {
  DIALOG_STATE_VERSION,
  initialDialogState,
  type Clarification,
  type DialogDeps,
  type DialogState,
} from "./types.ts";

const CLAUSES_SHOWN = 3;

function hasContent(ex: Extraction): boolean {
  return (
    Object.keys(ex.facts).length > 0 ||
    Object.keys(ex.title).length > 0 ||
    ex.specialtySinceGraduation ||
    ex.unknownPending ||
    ex.ambiguousPostgraduate ||
    ex.yearOnly !== undefined ||
    ex.awardsWithoutRank.length > 0 ||
    ex.unknownFields.length > 0 ||
    ex.province !== undefined ||
    ex.outOfRange !== undefined
  );
}

/** The extraction answers the question the form is waiting on. */
function answersPending(ex: Extraction, pending: ProfileField): boolean {
  if (ex.unknownPending || ex.yearOnly?.field === pending) return true;
  if (pending === "currentTitle") return Object.keys(ex.title).length > 0;
  if (pending === "education" && ex.ambiguousPostgraduate) return true;
  if (pending === "awards" && ex.awardsWithoutRank.length > 0) return true;
  return ex.facts[pending] !== undefined;
}

function hasStoredFacts(state: DialogState): boolean {
  return Object.keys(state.profile).length > 0 || state.unknown.length > 0 || state.specialtySinceGraduation;
}

/** Records an extraction and moves the form on: asks back, asks next, or gives the verdict. */
function record(
  state: DialogState,
  ex: Extraction,
  deps: DialogDeps,
  today: string,
  opts: { correction: boolean; lead: string[]; unknownField?: ProfileField; next?: Clarification },
): TurnOutcome {
  const regions = regionsOf(deps);
  const labels = regionLabels(regions);
  const pending = opts.unknownField ?? pendingField(state);
  const applied = applyExtraction(state, ex, { pending, correction: opts.correction });
  let next = applied.state;
  const lead = [...opts.lead];
  const regionRecorded = applied.recorded.includes("region");
  if (ex.unsupportedPlace && !regionRecorded) lead.push(ZH.unsupportedRegion(ex.unsupportedPlace, labels));
  if (ex.outOfRange) lead.push(ZH.outOfRange(ZH.rangeWhat[ex.outOfRange.field], ex.outOfRange.value));
  const newlyUnknown = next.unknown.filter((f) => !state.unknown.includes(f));
  if (!next.privacyNoticeShown && hasStoredFacts(next)) {
    lead.unshift(ZH.privacy(deps.ttlDays));
    next = { ...next, privacyNoticeShown: true };
  }
  const line = recordedLine(
    applied.recorded,
    newlyUnknown,
    next.profile,
    next.specialtySinceGraduation,
    regions,
  );
  const within =
    ex.province && !regionRecorded && !next.profile.region
      ? ({ kind: "within", province: ex.province.name, regions: ex.province.regions } as const)
      : undefined;
  if (line) lead.push(line);
  else if (!applied.clarification && !opts.next && !ex.unsupportedPlace && !ex.outOfRange && !within)
    lead.push(ZH.notUnderstood);
  lead.push(...whyUnknownMatters(next, newlyUnknown, deps, today));

  const clarification = opts.next ?? applied.clarification ?? within;
  if (clarification) {
    const q = clarificationQuestion(clarification, regions);
    const resume = pendingField(state);
    return {
      state: { ...next, step: { name: "clarifying", clarification, ...(resume ? { resume } : {}) } },
      replies: [{ ...q, text: [...lead, q.text].join("\n") }],
    };
  }
  return advanceForm(next, deps, today, lead);
}

async function runIntent(
  intent: Intent,
  state: DialogState,
  deps: DialogDeps,
  today: string,
): Promise<{ state: DialogState | "delete"; replies: Reply[] }> {
  const regions = regionsOf(deps);
  switch (intent.kind) {
    case "forget":
      return {
        state: "delete",
        replies: [{ text: hasStoredFacts(state) ? ZH.forgotten : ZH.nothingToForget }],
      };
    case "reset":
      return {
        state: { ...initialDialogState(), privacyNoticeShown: state.privacyNoticeShown },
        replies: [{ text: ZH.reset }],
      };
    case "help":
      return withResume(state, [{ text: intent.welcome ? ZH.welcome : ZH.help }], regions);
    case "unknown-command":
      return withResume(state, [{ text: ZH.help }], regions);
    case "subscribe":
      return withResume(state, [{ text: ZH.subscribeLater }], regions);
    case "details":
      return withResume(state, [detailsReply(state, deps, today)], regions);
    case "deadlines":
      return deadlines(state, intent.args, deps, today);
    case "clause":
      if (!intent.query) return { state, replies: [{ text: ZH.clausePrompt }] };
      return withResume(state, [clausesReply(deps.clauses(intent.query, CLAUSES_SHOWN))], regions);
    case "ask":
      return ask(state, intent.question, deps);
    case "check":
      if (intent.args) return freeText({ ...state, step: { name: "idle" } }, intent.args, deps, today, true);
      return advanceForm(state, deps, today, []);
  }
}

/**
 * Free text, read in this order: the facts it states (whatever else it does), the answer to the
 * pending question, and only then a policy question. A statement ("我们做的项目业绩条件是够的") is never
 * answered as a policy question.
 */
async function freeText(
  state: DialogState,
  text: string,
  deps: DialogDeps,
  today: string,
  startForm = false,
): Promise<TurnOutcome> {
  const regions = regionsOf(deps);
  const correction = isCorrection(text);
  if (state.step.name === "clarifying") {
    const r = resolveClarification(text, state.step.clarification, state.profile, today, regions);
    if (r) {
      return record(state, r.extraction, deps, today, {
        correction: false,
        lead: [],
        ...(r.unknownField ? { unknownField: r.unknownField } : {}),
        ...(r.next ? { next: r.next } : {}),
      });
    }
  }
  const pending = pendingField(state);
  const ex = extractFacts(text, { today, pending, profile: state.profile, regions });
  const edit = fieldToEdit(text);
  if (edit && !hasContent(ex)) {
    const profile = { ...state.profile };
    delete profile[edit];
    const edited: DialogState = {
      ...state,
      profile,
      unknown: state.unknown.filter((f) => f !== edit),
      // Re-entering the graduation date keeps "一直做": the new date is copied to the start of work.
      specialtySinceGraduation: edit === "specialtyWorkSince" ? false : state.specialtySinceGraduation,
      step: { name: "asking", field: edit },
    };
    const q = questionFor(edit, profile, regions);
    return { state: edited, replies: [{ ...q, text: `${ZH.reaskField(FIELD_NAMES[edit])}\n${q.text}` }] };
  }
  // "北京评高工需要什么条件？" asks about a region and a level; mid-form it is a question unless it also
  // answers the pending one. A statement is never one.
  const policyQuestion =
    !startForm && asksPolicy(text) && !wantsEligibility(text) && !(pending && answersPending(ex, pending));
  const looseCorrection = ex.looseDate !== undefined && (correction || pending !== undefined);
  if ((hasContent(ex) || looseCorrection) && !policyQuestion) {
    return record(state, ex, deps, today, { correction, lead: [] });
  }
  if (ex.unsupportedPlace)
    return withResume(
      state,
      [{ text: ZH.unsupportedRegion(ex.unsupportedPlace, regionLabels(regions)) }],
      regions,
    );
  if (startForm || wantsEligibility(text)) return advanceForm(state, deps, today, []);
  if (!isStatement(text) && (policyQuestion || looksLikeQuestion(text))) return ask(state, text, deps);
  const q = pendingQuestion(state, regions);
  if (q) return { state, replies: [{ ...q, text: `${ZH.notUnderstood}${q.text}` }] };
  return { state, replies: [{ text: ZH.notUnderstoodIdle }] };
}

/** The state to work from: a fresh one, or a stored one brought to the current version. */
function currentState(state: DialogState | undefined): DialogState {
  if (!state) return initialDialogState();
  const version: unknown = (state as { version?: unknown }).version;
  return version === DIALOG_STATE_VERSION
    ? state
    : migrateDialogState(typeof version === "number" ? version : 0, state);
}

/**
 * Handles one inbound message. Pure apart from `deps` (the clock included): the same state,
 * message and deps give the same replies. Returns `"delete"` when the user asked to be forgotten.
 * Never throws on any text; errors from `deps.assess` propagate (the caller writes nothing back).
 */
export async function handleTurn(
  state: DialogState | undefined,
  msg: InboundMessage,
  deps: DialogDeps,
): Promise<{ state: DialogState | "delete"; replies: Reply[] }> {
  const current = currentState(state);
  const raw = typeof msg.text === "string" ? msg.text : "";
  const normalized = normalizeInput(raw);
  const today = todayInShanghai(deps.clock);
  const truncated = raw.length > MAX_INPUT_CHARS ? [{ text: ZH.truncated(MAX_INPUT_CHARS) }] : [];

  const regions = regionsOf(deps);
  if (!normalized) return withResume(current, [{ text: ZH.empty }], regions);
  if (!hasReadableContent(normalized)) return withResume(current, [{ text: ZH.unreadable }], regions);

  // English words and typos are read as the words meant; a typo two words fit equally is asked back.
  const spelled = readSpelling(normalized, LEXICON, regions);
  if (spelled.ambiguous) {
    const { found, readings } = spelled.ambiguous;
    return { state: current, replies: [{ text: ZH.whichReading(found, readings), choices: [...readings] }] };
  }
  const text = spelled.text;
  const intent = detectIntent(text);
  const outcome = intent
    ? await runIntent(intent, current, deps, today)
    : await freeText(current, text, deps, today);
  return { state: outcome.state, replies: [...truncated, ...outcome.replies] };
}
