// After facts are recorded: ask the most decisive open question, or give the verdict once it is decided.
import { ZH } from "../i18n/zh-CN.ts";
import { loadRegions, regionLabels } from "../shared/regions.ts";
import type { Reply } from "../shared/chat.ts";
import { PROFILE_FIELDS, type Profile, type ProfileField } from "../shared/profile.ts";
import type { EligibilityReport } from "../shared/report.ts";
import { questionFor, isOpen } from "./question-for.ts";
import { renderReport } from "./render-report.ts";
import type { DialogDeps, DialogState, DraftProfile } from "./types.ts";

export interface TurnOutcome {
  state: DialogState;
  replies: Reply[];
}

/** The draft as an engine profile, once region and level are known. */
export function profileForEngine(draft: DraftProfile): Profile | undefined {
  const { region, targetLevel } = draft;
  if (!region || !targetLevel) return undefined;
  return { ...draft, region, targetLevel };
}

/** The engine's `missing` names as profile fields ("currentTitle.obtained" → currentTitle), in order. */
export function missingFields(report: EligibilityReport): ProfileField[] {
  const fields = report.missing
    .map((m) => m.split(".")[0] ?? "")
    .filter((f): f is ProfileField => (PROFILE_FIELDS as readonly string[]).includes(f));
  return [...new Set(fields)];
}

/** One reply: the lines said so far, then the question with its quick replies. */
function ask(state: DialogState, field: ProfileField, lead: string[], deps: DialogDeps): TurnOutcome {
  const q = questionFor(field, state.profile, deps.regions);
  return {
    state: { ...state, step: { name: "asking", field } },
    replies: [{ ...q, text: [...lead, q.text].join("\n") }],
  };
}

/** The form waits on nothing: the lines, with quick replies that start it again. */
function idle(state: DialogState, lines: string[], choices: readonly string[]): TurnOutcome {
  return {
    state: { ...state, step: { name: "idle" } },
    replies: [{ text: lines.join("\n"), choices: [...choices] }],
  };
}

/**
 * Region and level first (the engine cannot run without them), then the engine's `missing`
 * list, skipping what the user said they do not know; the verdict as soon as it is decided or
 * nothing askable is left.
 */
export function advanceForm(
  state: DialogState,
  deps: DialogDeps,
  today: string,
  lead: string[],
): TurnOutcome {
  // Without a region or a level there is nothing to assess; a "不知道" to either is explained, not asked again.
  if (!state.profile.region) {
    if (!state.unknown.includes("region")) return ask(state, "region", lead, deps);
    const labels = regionLabels(deps.regions ?? loadRegions());
    return idle(state, [...lead, ZH.regionUnknown(labels)], labels);
  }
  if (!state.profile.targetLevel) {
    if (!state.unknown.includes("targetLevel")) return ask(state, "targetLevel", lead, deps);
    return idle(state, [...lead, ZH.levelUnknown], ZH.levelChoices);
  }
  const profile = profileForEngine(state.profile);
  if (!profile) return ask(state, "region", lead, deps);
  const report = deps.assess(profile, today);
  // "一直做AI" before the graduation date: the start of work is the graduation date, so ask that.
  const waitsForGraduation = state.specialtySinceGraduation && !state.profile.graduated;
  const fields = missingFields(report).map((f) =>
    f === "specialtyWorkSince" && waitsForGraduation ? "graduated" : f,
  );
  const askable = [...new Set(fields)].filter((f) => !state.unknown.includes(f) && isOpen(f, state.profile));
  const next = askable[0];
  if (report.verdict === "undetermined" && next) return ask(state, next, lead, deps);
  const verdict = renderReport(report, state.profile, state.unknown, false, deps.regions);
  const replies: Reply[] = lead.length > 0 ? [{ text: lead.join("\n") }, verdict] : [verdict];
  return { state: { ...state, step: { name: "decided" } }, replies };
}

/** The full report with clause texts ("详细"). */
export function detailsReply(state: DialogState, deps: DialogDeps, today: string): Reply {
  const profile = profileForEngine(state.profile);
  if (!profile) return { text: ZH.noReportYet };
  return renderReport(deps.assess(profile, today), state.profile, state.unknown, true, deps.regions);
}
