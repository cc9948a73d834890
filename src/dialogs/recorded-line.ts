// "已记录：硕士，2019-07 毕业": reads back what a turn recorded, in the order of the form.
import { FIELD_NAMES, ZH, fact } from "../i18n/zh-CN.ts";
import type { ProfileField } from "../shared/profile.ts";
import type { DraftProfile } from "./types.ts";
import { loadRegions, regionLabel, type RegionCatalogue } from "../shared/regions.ts";

function describe(
  field: ProfileField,
  p: DraftProfile,
  linked: boolean,
  regions: RegionCatalogue,
): string | undefined {
  switch (field) {
    case "region":
      return p.region && fact.region(p.region, regionLabel(p.region, regions));
    case "targetLevel":
      return p.targetLevel && fact.targetLevel(p.targetLevel);
    case "education":
      return p.education && fact.education(p.education);
    case "graduated":
      return p.graduated && fact.graduated(p.graduated);
    case "specialtyWorkSince":
      return p.specialtyWorkSince
        ? fact.specialtyWorkSince(p.specialtyWorkSince)
        : linked
          ? fact.sinceGraduation
          : undefined;
    case "currentTitle":
      return p.currentTitle && fact.currentTitle(p.currentTitle);
    case "employerType":
      return p.employerType && fact.employerType(p.employerType);
    case "awards":
      return p.awards && fact.awards(p.awards);
    case "achievements":
      return p.achievements !== undefined ? fact.achievements(p.achievements) : undefined;
    case "performanceMet":
      return p.performanceMet !== undefined ? fact.performanceMet(p.performanceMet) : undefined;
    case "selfScore":
      return p.selfScore !== undefined ? fact.selfScore(p.selfScore) : undefined;
    case "continuingEducationMet":
      return p.continuingEducationMet !== undefined
        ? fact.continuingEducationMet(p.continuingEducationMet)
        : undefined;
    case "otherApplicationThisYear":
      return p.otherApplicationThisYear !== undefined
        ? fact.otherApplicationThisYear(p.otherApplicationThisYear)
        : undefined;
    case "firstApplication":
      return p.firstApplication !== undefined ? fact.firstApplication(p.firstApplication) : undefined;
  }
}

const ORDER: ProfileField[] = Object.keys(FIELD_NAMES) as ProfileField[];

/** The "已记录" line, or undefined when nothing was recorded. */
export function recordedLine(
  recorded: ProfileField[],
  unknownNow: ProfileField[],
  profile: DraftProfile,
  linked: boolean,
  regions: RegionCatalogue = loadRegions(),
): string | undefined {
  const items = ORDER.flatMap((f) => {
    if (recorded.includes(f)) {
      const d = describe(f, profile, linked, regions);
      return d ? [d] : [];
    }
    return unknownNow.includes(f) ? [fact.unknown(FIELD_NAMES[f])] : [];
  });
  return items.length > 0 ? ZH.recorded(items) : undefined;
}
