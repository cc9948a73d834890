// Reads the answer to a question asked back (硕士还是博士、几月、排名第几).
import type { ProfileField } from "../shared/profile.ts";
import { emptyExtraction, type Extraction } from "./parse/extract-facts.ts";
import { parseRank } from "./parse/awards.ts";
import { parseEducation } from "./parse/education.ts";
import { arabicNumerals, parseNumeral } from "./parse/numerals.ts";
import { isUnknownAnswer } from "./parse/unknown-answer.ts";
import { parseYearMonth } from "./parse/year-month.ts";
import type { Clarification, DraftProfile } from "./types.ts";
import { parseRegion } from "./parse/region.ts";
import type { RegionCatalogue } from "../shared/regions.ts";

/** What the answer settles: facts as an extraction, and what is still to be asked back. */
export interface Resolution {
  extraction: Extraction;
  /** The field a "不知道" refers to. */
  unknownField?: ProfileField;
  next?: Clarification;
}

const pad = (n: number) => String(n).padStart(2, "0");

/** The answer to a clarification, or undefined when the message answers something else. */
export function resolveClarification(
  text: string,
  c: Clarification,
  profile: DraftProfile,
  today: string,
  regions?: RegionCatalogue,
): Resolution | undefined {
  const ex = emptyExtraction();
  const unknown = isUnknownAnswer(text);
  switch (c.kind) {
    case "postgraduate": {
      const e = parseEducation(text);
      if (e?.kind === "value") ex.facts.education = e.value;
      else if (/^硕/.test(text)) ex.facts.education = "master";
      else if (/^博/.test(text)) ex.facts.education = "doctorate";
      else
        return unknown
          ? { extraction: { ...ex, unknownPending: true }, unknownField: "education" }
          : undefined;
      return { extraction: ex };
    }
    case "month": {
      const full = parseYearMonth(text, today);
      const cleaned = text.replace(/[。.!！]$/, "");
      const m = /^(\d{1,2})\s*月?份?$/.exec(arabicNumerals(cleaned));
      const month = m ? Number(m[1]) : parseNumeral(cleaned);
      let value: string | undefined;
      if (full?.kind === "month") value = full.value;
      else if (month !== undefined && Number.isInteger(month) && month >= 1 && month <= 12)
        value = `${c.year}-${pad(month)}`;
      if (!value)
        return unknown ? { extraction: { ...ex, unknownPending: true }, unknownField: c.field } : undefined;
      if (c.field === "currentTitle") ex.title.obtained = value;
      else ex.facts[c.field] = value;
      return { extraction: ex };
    }
    case "within": {
      const place = parseRegion(text, regions);
      if (place?.kind === "region") ex.facts.region = place.value;
      else if (place?.kind === "unsupported") ex.unsupportedPlace = place.place;
      else if (/^其他|^别的|^不是/.test(text)) ex.unsupportedPlace = `${c.province}其他地区`;
      else
        return unknown ? { extraction: { ...ex, unknownPending: true }, unknownField: "region" } : undefined;
      return { extraction: ex };
    }
    case "rank": {
      const [kind, ...rest] = c.awaiting;
      const rank = parseRank(text);
      const next: Clarification | undefined = rest.length > 0 ? { kind: "rank", awaiting: rest } : undefined;
      if (!kind) return { extraction: ex };
      if (rank === undefined) {
        if (!unknown) return undefined;
        return {
          extraction: ex,
          ...(next ? { next } : {}),
          ...(profile.awards ? {} : { unknownField: "awards" as const }),
        };
      }
      ex.facts.awards = [{ kind, rank }];
      return { extraction: ex, ...(next ? { next } : {}) };
    }
  }
}
