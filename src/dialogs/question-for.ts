// The question (and quick replies) for a profile field, shaped by what is already known of it.
import { AWARD_NAMES, QUESTIONS, ZH, askRegion } from "../i18n/zh-CN.ts";
import { LEVEL_NAMES } from "../shared/domain.ts";
import type { ProfileField } from "../shared/profile.ts";
import type { Reply } from "../shared/chat.ts";
import type { Clarification, DraftProfile } from "./types.ts";
import { loadRegions, regionEntry, regionLabels, type RegionCatalogue } from "../shared/regions.ts";

/** The question that fills `field` next. */
export function questionFor(
  field: ProfileField,
  profile: DraftProfile,
  regions: RegionCatalogue = loadRegions(),
): Reply {
  if (field === "region") {
    const labels = regionLabels(regions);
    return { text: askRegion(labels), choices: labels };
  }
  const title = profile.currentTitle;
  if (field === "currentTitle" && title && title.level !== "none") {
    const name = LEVEL_NAMES[title.level];
    if (!title.obtained) return { text: ZH.askTitleObtained(name), choices: ["不知道"] };
    if (!title.series) return { text: ZH.askTitleSeries(name), choices: ["本系列", "其他系列", "不知道"] };
  }
  const q = QUESTIONS[field];
  return { text: q.text, ...(q.choices ? { choices: [...q.choices] } : {}) };
}

/** True when the field still has something to ask (a title may lack its date or series). */
export function isOpen(field: ProfileField, profile: DraftProfile): boolean {
  if (field === "currentTitle") {
    const t = profile.currentTitle;
    return !t || (t.level !== "none" && (!t.obtained || !t.series));
  }
  return profile[field] === undefined;
}

/** The question asked back for an unclear answer. */
export function clarificationQuestion(c: Clarification, regions: RegionCatalogue = loadRegions()): Reply {
  switch (c.kind) {
    case "postgraduate":
      return { text: ZH.askPostgraduate, choices: ["硕士", "博士"] };
    case "month":
      return { text: ZH.askMonth(c.year), choices: [`${c.year}年6月`, `${c.year}年7月`, "不知道"] };
    case "within": {
      const labels = c.regions.map((r) => regionEntry(r, regions)?.name ?? r);
      return { text: ZH.askWithin(c.province, labels), choices: [...labels, ZH.otherCity, "不知道"] };
    }
    case "rank": {
      const kind = c.awaiting[0];
      return { text: ZH.askRank(kind ? AWARD_NAMES[kind] : ""), choices: ["第1", "第2", "第3"] };
    }
  }
}
