// Reads every fact a message states ("北京，硕士，2019年7月毕业，一直做AI，能评高工吗"), using the pending question as context.
import type { Level } from "../../shared/domain.ts";
import type { Award, CurrentTitle, ProfileField } from "../../shared/profile.ts";
import type { DraftProfile } from "../types.ts";
import { parseAchievementCount, parseScore } from "./achievements.ts";
import { parseAwards } from "./awards.ts";
import { parseEducation } from "./education.ts";
import { parseEmployerType } from "./employer-type.ts";
import { parseRegion } from "./region.ts";
import { parseSpecialtyWork } from "./specialty-work.ts";
import { titleRole } from "./target-level.ts";
import { findTitleMentions, parseTitleSeries } from "./title-level.ts";
import { isUnknownAnswer } from "./unknown-answer.ts";
import { parseYearMonth, monthsBefore } from "./year-month.ts";
import { parseYesNo } from "./yes-no.ts";
import { LEXICON, type StatementCue } from "../dialog-lexicon.ts";
import type { RegionCatalogue } from "../../shared/regions.ts";
import type { Region } from "../../shared/domain.ts";

type DateField = "graduated" | "specialtyWorkSince" | "currentTitle";

export interface ExtractContext {
  /** YYYY-MM-DD in Asia/Shanghai, for 去年/三年前/做了五年. */
  today: string;
  /** The field the assistant last asked about: bare answers ("2019年7月", "没有") belong to it. */
  pending?: ProfileField | undefined;
  /** What is already known (which title mention is the target, which the current one). */
  profile: DraftProfile;
  /** The regions to read place names with (default: the project's knowledge/regions.json). */
  regions?: RegionCatalogue | undefined;
}

/** Fields whose numbers have a plausible range: beyond it the number is asked back, never cut. */
export type RangedField = "achievements" | "awards" | "selfScore";

/** What one message says. Nothing here is applied yet: the turn handler merges it. */
export interface Extraction {
  facts: DraftProfile;
  /** Parts of the current title (merged into the stored one; a new level starts a new title). */
  title: Partial<CurrentTitle>;
  specialtySinceGraduation: boolean;
  /** The user does not know the answer to the pending question. */
  unknownPending: boolean;
  /** "研究生" without 硕士/博士. */
  ambiguousPostgraduate: boolean;
  /** A year without its month, and the field it belongs to. */
  yearOnly?: { field: DateField; year: number };
  /** A date with nothing saying which field it is. */
  looseDate?: string;
  /** Awards named without the applicant's rank. */
  awardsWithoutRank: Array<Award["kind"]>;
  /** A place we hold no notice for. */
  unsupportedPlace?: string;
  /** A province only part of which the notices cover ("四川" when only 巴中 is held). */
  province?: { name: string; regions: Region[] };
  /** A number out of its plausible range, to be confirmed rather than recorded. */
  outOfRange?: { field: RangedField; value: number };
  /** Fields the message says the user does not know, out of turn ("业绩条件我也不清楚"). */
  unknownFields: ProfileField[];
}

const BOOLEAN_FIELDS = new Set<ProfileField>([
  "performanceMet",
  "continuingEducationMet",
  "otherApplicationThisYear",
  "firstApplication",
]);

/** Splits a message into clauses: facts are read clause by clause so that each date finds its event. */
function clausesOf(text: string): string[] {
  return text
    .split(/[，,。；;！!？?\n、]|\s+/)
    .map((s) => s.trim())
    .filter((s) => s.length > 0);
}

/** The field a dated clause speaks of, from its words, else from the pending question. */
function dateFieldOf(
  clause: string,
  hasCurrentTitle: boolean,
  pending: ProfileField | undefined,
): DateField | undefined {
  if (/毕业|学历|学位|拿到文凭/.test(clause)) return "graduated";
  if (hasCurrentTitle || /取得|评上|拿到|获得|职称/.test(clause)) return "currentTitle";
  if (/开始|起|入行|从事|做|干|参加工作|入职|工作|搞/.test(clause)) return "specialtyWorkSince";
  if (pending === "graduated" || pending === "specialtyWorkSince" || pending === "currentTitle")
    return pending;
  return undefined;
}

/** An extraction that found nothing. */
export function emptyExtraction(): Extraction {
  return {
    facts: {},
    title: {},
    specialtySinceGraduation: false,
    unknownPending: false,
    ambiguousPostgraduate: false,
    awardsWithoutRank: [],
    unknownFields: [],
  };
}

/**
 * What a clause states about a condition ("我们做的项目业绩条件是够的", "学时都登记了"): true, false,
 * "unknown", or undefined when it does not speak of it or asks about it. The earliest cue wins, the
 * longer on a tie, so "不够" denies and "没问题" affirms.
 */
function statementOf(clause: string, cue: StatementCue): boolean | "unknown" | undefined {
  if (!cue.topic.test(clause) || LEXICON.question.test(clause)) return undefined;
  if (LEXICON.unknown.test(clause)) return "unknown";
  const yes = cue.yes.exec(clause);
  const no = cue.no.exec(clause);
  if (yes && no) {
    if (yes.index !== no.index) return yes.index < no.index;
    return yes[0].length > no[0].length;
  }
  return yes ? true : no ? false : undefined;
}

/** Reads the facts of one (normalised) message. Never throws; bounded by the input cap. */
export function extractFacts(text: string, ctx: ExtractContext): Extraction {
  const out = emptyExtraction();
  const { pending } = ctx;
  let targetThisMessage: Level | undefined;

  for (const clause of clausesOf(text)) {
    const region = parseRegion(clause, ctx.regions);
    if (region?.kind === "region") out.facts.region = region.value;
    else if (region?.kind === "province") out.province = { name: region.province, regions: region.regions };
    else if (region) out.unsupportedPlace = region.place;

    const education = parseEducation(clause);
    if (education?.kind === "value") out.facts.education = education.value;
    else if (education) out.ambiguousPostgraduate = true;

    let currentInClause = false;
    for (const mention of findTitleMentions(clause)) {
      let role = titleRole(clause, mention);
      if (!role && pending === "targetLevel") role = "target";
      if (!role && pending === "currentTitle") role = "current";
      if (!role) role = ctx.profile.targetLevel || targetThisMessage ? "current" : "target";
      if (role === "target" && mention.level !== "none") {
        out.facts.targetLevel = mention.level;
        targetThisMessage = mention.level;
      } else {
        out.title.level = mention.level;
        currentInClause = true;
      }
    }
    const series = parseTitleSeries(clause);
    if (series) out.title.series = series;

    const date = parseYearMonth(clause, ctx.today);
    const field = date && dateFieldOf(clause, currentInClause, pending);
    if (date) {
      if (!field) {
        if (date.kind === "month") out.looseDate = date.value;
      } else if (date.kind === "year") {
        out.yearOnly = { field, year: date.year };
      } else if (field === "currentTitle") {
        out.title.obtained = date.value;
      } else {
        out.facts[field] = date.value;
      }
    }

    const work = parseSpecialtyWork(clause);
    if (work?.kind === "since-graduation") out.specialtySinceGraduation = true;
    // "2016年6月毕业做了8年": the date is the graduation, the duration still counts.
    else if (work && field !== "specialtyWorkSince")
      out.facts.specialtyWorkSince = monthsBefore(ctx.today.slice(0, 7), work.months);

    const employer = parseEmployerType(clause);
    if (employer) out.facts.employerType = employer;

    const awards = parseAwards(clause);
    const tooFar = awards.find((a) => a.rank !== undefined && a.rank > LEXICON.ranges.rank.max);
    if (tooFar?.rank !== undefined) out.outOfRange = { field: "awards", value: tooFar.rank };
    else if (awards.length > 0) {
      const ranked = awards.filter((a): a is Award => a.rank !== undefined);
      out.facts.awards = [...(out.facts.awards ?? []), ...ranked];
      out.awardsWithoutRank.push(...awards.filter((a) => a.rank === undefined).map((a) => a.kind));
    }

    if (/论文|专利|成果|报告|著作|软著|标准|专著|教材/.test(clause) || pending === "achievements") {
      const count =
        /\d\s*年|[年月]/.test(clause) && pending !== "achievements"
          ? undefined
          : parseAchievementCount(clause);
      if (count !== undefined && count > LEXICON.ranges.achievements.max)
        out.outOfRange = { field: "achievements", value: count };
      else if (count !== undefined && awards.length === 0)
        out.facts.achievements = (out.facts.achievements ?? 0) + count;
    }

    if (/自评|评分|得分|\d\s*分/.test(clause) || pending === "selfScore") {
      const score = date ? undefined : parseScore(clause);
      if (score !== undefined && (pending === "selfScore" || /分/.test(clause))) {
        if (score > LEXICON.ranges.selfScore.max) out.outOfRange = { field: "selfScore", value: score };
        else out.facts.selfScore = score;
      }
    }

    if (/第一次|首次|头一次/.test(clause) && /申报|评|报/.test(clause)) {
      out.facts.firstApplication = !/不是|非/.test(clause);
    }
    for (const field of ["performanceMet", "continuingEducationMet", "otherApplicationThisYear"] as const) {
      const said = statementOf(clause, LEXICON.statements[field]);
      if (said === "unknown") out.unknownFields.push(field);
      else if (said !== undefined) out.facts[field] = said;
    }
    if (awards.length === 0 && LEXICON.statements.awardsNone.test(clause) && !LEXICON.question.test(clause))
      out.facts.awards ??= [];
  }

  applyBareAnswer(text, pending, out);
  return out;
}

/** Short answers that only mean something as the answer to the pending question. */
function applyBareAnswer(text: string, pending: ProfileField | undefined, out: Extraction): void {
  if (!pending) return;
  const saidSomething =
    Object.keys(out.facts).length > 0 || Object.keys(out.title).length > 0 || out.unknownFields.length > 0;
  if (!saidSomething && isUnknownAnswer(text)) {
    out.unknownPending = true;
    return;
  }
  const yes = parseYesNo(text);
  if (BOOLEAN_FIELDS.has(pending) && yes !== undefined && out.facts[pending] === undefined) {
    (out.facts as Record<string, unknown>)[pending] = yes;
  }
  if (yes === false && !saidSomething) {
    if (pending === "awards") out.facts.awards = [];
    if (pending === "achievements") out.facts.achievements = 0;
    if (pending === "currentTitle") out.title.level = "none";
  }
}
