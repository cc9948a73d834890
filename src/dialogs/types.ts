// The dialog's state and the dependencies the turn handler is given (it does no I/O of its own).
import type { Clock } from "../shared/clock.ts";
import type { RegionCatalogue } from "../shared/regions.ts";
import type { Level, Region } from "../shared/domain.ts";
import type { Award, Profile, ProfileField } from "../shared/profile.ts";
import type { AskResult, ClauseResult, DeadlineWithScope, EligibilityReport } from "../shared/report.ts";

/** Bumped whenever DialogState changes shape; `migrateDialogState` upgrades older ones. */
export const DIALOG_STATE_VERSION = 1;

/** The profile as it is being gathered: every field may still be unknown, region and level too. */
export type DraftProfile = Partial<Omit<Profile, "id" | "asOf">>;

/** A question asked back because the answer was incomplete or could mean more than one thing. */
export type Clarification =
  | { kind: "postgraduate" }
  | { kind: "month"; field: "graduated" | "specialtyWorkSince" | "currentTitle"; year: number }
  | { kind: "rank"; awaiting: Array<Award["kind"]> }
  /** "四川": a province only part of which the notices cover; which city decides. */
  | { kind: "within"; province: string; regions: Region[] };

/**
 * Where the conversation stands. Named, not numbered: a deploy that reorders questions must not
 * change what a stored state means.
 */
export type DialogStep =
  | { name: "idle" }
  | { name: "asking"; field: ProfileField }
  | { name: "clarifying"; clarification: Clarification; resume?: ProfileField }
  | { name: "decided" };

export interface DialogState {
  version: typeof DIALOG_STATE_VERSION;
  step: DialogStep;
  profile: DraftProfile;
  /** Fields the user said they do not know: recorded as unknown and not asked again. */
  unknown: ProfileField[];
  /** "一直做AI": specialtyWorkSince follows the graduation date, also when that is corrected later. */
  specialtySinceGraduation: boolean;
  /** Fields set by the last turn that recorded anything, for "不对，是…" without a field name. */
  lastRecorded: ProfileField[];
  /** The one-line notice on what is kept and for how long has been shown. */
  privacyNoticeShown: boolean;
}

/** Everything the dialog needs from the rest of the system, injected by the composition root. */
export interface DialogDeps {
  assess(profile: Profile, asOf: string): EligibilityReport;
  ask(question: string): Promise<AskResult>;
  clauses(query: string, limit: number): ClauseResult;
  deadlines(filter: { region?: Region; level?: Level; after?: string }): DeadlineWithScope[];
  clock: Clock;
  /** How long the session store keeps a conversation, shown in the privacy line. */
  ttlDays: number;
  /** The regions the notices cover (default: the project's knowledge/regions.json). */
  regions?: RegionCatalogue;
}

/** A fresh conversation. */
export function initialDialogState(): DialogState {
  return {
    version: DIALOG_STATE_VERSION,
    step: { name: "idle" },
    profile: {},
    unknown: [],
    specialtySinceGraduation: false,
    lastRecorded: [],
    privacyNoticeShown: false,
  };
}
