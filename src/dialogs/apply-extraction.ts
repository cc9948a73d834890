// Merges what a message said into the draft profile, and says which fields it recorded.
import type { CurrentTitle, ProfileField } from "../shared/profile.ts";
import type { Extraction } from "./parse/extract-facts.ts";
import type { Clarification, DialogState, DraftProfile } from "./types.ts";

export interface Applied {
  state: DialogState;
  /** Fields the message set (for the "已记录" line and for "不对，是…" later). */
  recorded: ProfileField[];
  /** A question to ask back before anything else. */
  clarification?: Clarification;
}

const DATE_FIELDS = ["graduated", "specialtyWorkSince", "currentTitle"] as const;

/** A new level starts a new title (its date and series belonged to the old one). */
function mergeTitle(old: CurrentTitle | undefined, part: Partial<CurrentTitle>): CurrentTitle | undefined {
  if (part.level !== undefined) {
    const sameLevel = old?.level === part.level;
    return {
      level: part.level,
      ...(part.series ? { series: part.series } : sameLevel && old?.series ? { series: old.series } : {}),
      ...(part.obtained
        ? { obtained: part.obtained }
        : sameLevel && old?.obtained
          ? { obtained: old.obtained }
          : {}),
    };
  }
  if (!old || old.level === "none") return undefined; // a date or series without a title to attach to
  const merged = {
    ...old,
    ...(part.series ? { series: part.series } : {}),
    ...(part.obtained ? { obtained: part.obtained } : {}),
  };
  return merged;
}

/**
 * Applies an extraction. `correction` lets a date with no field ("不对，是2018年") replace the
 * date recorded last; `pending` receives a "不知道".
 */
export function applyExtraction(
  before: DialogState,
  ex: Extraction,
  opts: { pending?: ProfileField | undefined; correction: boolean },
): Applied {
  const profile: DraftProfile = { ...before.profile };
  const recorded = new Set<ProfileField>();
  let unknown = [...before.unknown];
  let linked = before.specialtySinceGraduation;

  for (const [key, value] of Object.entries(ex.facts) as Array<[keyof DraftProfile, unknown]>) {
    if (value === undefined) continue;
    (profile as Record<string, unknown>)[key] = value;
    recorded.add(key);
  }
  if (ex.facts.awards && before.profile.awards && ex.facts.awards.length > 0) {
    // Awards add up across messages ("还有一个行业标准排名第1"); "没有" clears them.
    const seen = new Set(ex.facts.awards.map((a) => a.kind));
    profile.awards = [...before.profile.awards.filter((a) => !seen.has(a.kind)), ...ex.facts.awards];
  }

  const looseDate = ex.looseDate;
  if (looseDate && (opts.correction || opts.pending)) {
    const target =
      (opts.pending && (DATE_FIELDS as readonly string[]).includes(opts.pending)
        ? opts.pending
        : undefined) ?? before.lastRecorded.find((f) => (DATE_FIELDS as readonly string[]).includes(f));
    if (target === "currentTitle") ex.title.obtained = looseDate;
    else if (target === "graduated" || target === "specialtyWorkSince") {
      profile[target] = looseDate;
      recorded.add(target);
    }
  }

  if (Object.keys(ex.title).length > 0) {
    const title = mergeTitle(profile.currentTitle, ex.title);
    if (title) {
      profile.currentTitle = title;
      recorded.add("currentTitle");
    }
  }

  if (ex.specialtySinceGraduation) {
    linked = true;
    recorded.add("specialtyWorkSince");
  } else if (ex.facts.specialtyWorkSince) linked = false;
  if (linked && profile.graduated) {
    profile.specialtyWorkSince = profile.graduated;
    if (ex.specialtySinceGraduation || recorded.has("graduated")) recorded.add("specialtyWorkSince");
  }

  if (ex.unknownPending && opts.pending && !unknown.includes(opts.pending)) unknown.push(opts.pending);
  for (const f of ex.unknownFields) if (!unknown.includes(f) && !recorded.has(f)) unknown.push(f);
  // A value given later replaces an earlier "不知道".
  unknown = unknown.filter((f) => !recorded.has(f));

  // "不对，是2018年毕业": a correction of the year keeps the month already recorded.
  let yearOnly = ex.yearOnly;
  if (yearOnly && opts.correction) {
    const { field, year } = yearOnly;
    const old = field === "currentTitle" ? profile.currentTitle?.obtained : profile[field];
    if (old) {
      const value = `${year}${old.slice(4)}`;
      if (field === "currentTitle" && profile.currentTitle)
        profile.currentTitle = { ...profile.currentTitle, obtained: value };
      else if (field !== "currentTitle") profile[field] = value;
      recorded.add(field);
      if (field === "graduated" && linked) profile.specialtyWorkSince = value;
      yearOnly = undefined;
    }
  }

  let clarification: Clarification | undefined;
  if (ex.ambiguousPostgraduate && !recorded.has("education")) clarification = { kind: "postgraduate" };
  else if (yearOnly) clarification = { kind: "month", field: yearOnly.field, year: yearOnly.year };
  else if (ex.awardsWithoutRank.length > 0) clarification = { kind: "rank", awaiting: ex.awardsWithoutRank };

  const recordedList = [...recorded];
  return {
    state: {
      ...before,
      profile,
      unknown,
      specialtySinceGraduation: linked,
      lastRecorded: recordedList.length > 0 ? recordedList : before.lastRecorded,
    },
    recorded: recordedList,
    ...(clarification ? { clarification } : {}),
  };
}
