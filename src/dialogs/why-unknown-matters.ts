// "不知道" to a required fact: which of the notices' conditions that fact decides, found by asking the engine.
import { FIELD_NAMES, ZH } from "../i18n/zh-CN.ts";
import type { Profile, ProfileField } from "../shared/profile.ts";
import { profileForEngine } from "./advance-form.ts";
import type { DialogDeps, DialogState } from "./types.ts";

const SHOWN = 2;
const DESCRIPTION_CHARS = 40;

/** Two values of a field far apart: the criteria whose status differs between them depend on it. */
function probes(field: ProfileField, today: string): [Partial<Profile>, Partial<Profile>] | undefined {
  const month = today.slice(0, 7);
  switch (field) {
    case "performanceMet":
    case "continuingEducationMet":
    case "otherApplicationThisYear":
    case "firstApplication":
      return [{ [field]: true }, { [field]: false }];
    case "achievements":
      return [{ achievements: 0 }, { achievements: 100 }];
    case "selfScore":
      return [{ selfScore: 0 }, { selfScore: 1000 }];
    case "education":
      return [{ education: "secondary-vocational" }, { education: "doctorate" }];
    case "graduated":
    case "specialtyWorkSince":
      return [{ [field]: "1970-01" }, { [field]: month }];
    case "employerType":
      return [{ employerType: "state-owned" }, { employerType: "civil-servant" }];
    case "awards":
      return [
        { awards: [] },
        {
          awards: [
            { kind: "provincial-sci-tech-award", rank: 1 },
            { kind: "china-patent-gold", rank: 1 },
            { kind: "national-standard", rank: 1 },
          ],
        },
      ];
    case "currentTitle":
      return [
        { currentTitle: { level: "none" } },
        { currentTitle: { level: "professor", series: "same", obtained: "1970-01" } },
      ];
    case "region":
    case "targetLevel":
      return undefined;
  }
}

const short = (s: string) => (s.length > DESCRIPTION_CHARS ? `${s.slice(0, DESCRIPTION_CHARS)}…` : s);

/**
 * One line per field the user just said they do not know: the conditions it decides and that the
 * verdict comes without it (the field is marked "？" and not asked again).
 */
export function whyUnknownMatters(
  state: DialogState,
  newlyUnknown: ProfileField[],
  deps: DialogDeps,
  today: string,
): string[] {
  const profile = profileForEngine(state.profile);
  return newlyUnknown.flatMap((field) => {
    if (field === "region" || field === "targetLevel") return [];
    const pair = profile && probes(field, today);
    if (!profile || !pair) return [ZH.unknownMatters(FIELD_NAMES[field], [])];
    const [a, b] = pair.map((p) => deps.assess({ ...profile, ...p }, today));
    if (!a || !b) return [];
    const statusB = new Map(b.criteria.map((c) => [c.id, c.status]));
    const decided = a.criteria.filter((c) => statusB.get(c.id) !== c.status).map((c) => short(c.description));
    return [ZH.unknownMatters(FIELD_NAMES[field], decided.slice(0, SHOWN))];
  });
}
