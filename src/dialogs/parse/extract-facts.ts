// Reads every fact a message states ("北京，硕士，2019年7月毕业，一直做AI，能评高工吗"), using the pending question as context.
import type { Award, CurrentTitle, ProfileField } from "../../shared/profile.ts";
import type { DraftProfile } from "../types.ts";
import { parseAchievementCount, parseScore } from "./achievements.ts";
import { parseAwards } from "./awards.ts";
import { parseEducation } from "./education.ts";
import { parseEmployerType } from "./employer-type.ts";
import { parseRegion } from "./region.ts";
import { parseSpecialtyWork } from "./specialty-work.ts";
import { findTitleMentions, parseTitleSeries } from "./title-level.ts";
import { dateFieldOf, type DateField } from "./date-field.ts";
import { statementOf } from "./statement.ts";
import { titleRoles } from "./title-roles.ts";
import { isUnknownAnswer } from "./unknown-answer.ts";
import { parseYearMonth, monthsBefore } from "./year-month.ts";
import { parseYesNo } from "./yes-no.ts";
import { LEXICON, asksQuestion } from "../dialog-lexicon.ts";
import { arabicNumerals, parseDurationMonths } from "./numerals.ts";
import type { RegionCatalogue } from "../../shared/regions.ts";
import type { Region } from "../../shared/domain.ts";

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
export type RangedField = "achievements" | "awards" | "selfScore" | "specialtyWorkSince";

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

const RANK_ONLY = /^(?:排名|排|名列|位列)?\s*第\s*(\d+)\s*(?:名|位|完成人|作者|起草人)?$/;

/** Reads the facts of one (normalised) message. Never throws; bounded by the input cap. */
export function extractFacts(text: string, ctx: ExtractContext): Extraction {
  const out = emptyExtraction();
  const { pending } = ctx;
  const clauses = clausesOf(text);
  const roles = titleRoles(clauses, text, ctx);
  // A clause that names an event without its date ("硕士毕业，2020年7月") lends the event to the next bare date.
  let dateCue: DateField | undefined;
  let sinceGraduationDenied = false;

  clauses.forEach((clause, i) => {
    // "我不是公务员", "不在北京", "不是高工，是…": what a clause denies is not recorded.
    const negated = LEXICON.negated.test(clause);
    const asking = asksQuestion(clause);
    const defining = LEXICON.definition.test(clause);

    const region = negated ? undefined : parseRegion(clause, ctx.regions);
    if (region?.kind === "region") out.facts.region = region.value;
    else if (region?.kind === "province") out.province = { name: region.province, regions: region.regions };
    else if (region) out.unsupportedPlace = region.place;

    const education = negated || defining ? undefined : parseEducation(clause);
    if (education?.kind === "value") out.facts.education = education.value;
    else if (education) out.ambiguousPostgraduate = true;

    let currentInClause = false;
    for (const mention of negated ? [] : findTitleMentions(clause)) {
      const role = roles.get(`${i}:${mention.index}`) ?? "target";
      if (role === "target" && mention.level !== "none") {
        out.facts.targetLevel = mention.level;
      } else {
        out.title.level = mention.level;
        currentInClause = true;
      }
    }
    const aboutOtherApplication =
      LEXICON.statements.otherApplicationThisYear.topic.test(clause) && /报|申/.test(clause);
    const series = defining || aboutOtherApplication ? undefined : parseTitleSeries(clause);
    if (series) out.title.series = series;

    const date = aboutOtherApplication ? undefined : parseYearMonth(clause, ctx.today);
    const field = date && (dateFieldOf(clause, currentInClause, pending) ?? dateCue);
    if (date) {
      dateCue = undefined;
      if (!field) {
        if (date.kind === "month") out.looseDate = date.value;
      } else if (date.kind === "year") {
        out.yearOnly = { field, year: date.year };
      } else if (field === "currentTitle") {
        out.title.obtained = date.value;
      } else {
        out.facts[field] = date.value;
      }
      if (field === "specialtyWorkSince") sinceGraduationDenied = true;
    } else {
      dateCue = currentInClause ? "currentTitle" : dateFieldOf(clause, false, undefined);
    }

    const work = parseSpecialtyWork(clause) ?? yearsSinceGraduation(clause);
    if (work?.kind === "too-long") out.outOfRange = { field: "specialtyWorkSince", value: work.years };
    else if (work?.kind === "since-graduation") out.specialtySinceGraduation = true;
    // "本科毕业8年了": years since graduating, not in the specialty.
    else if (work && /毕业|毕的业/.test(clause) && !/做|干|从事|工作|搞|入行/.test(clause))
      out.facts.graduated ??= monthsBefore(ctx.today.slice(0, 7), work.months);
    // "2016年6月毕业做了8年": the date is the graduation, the duration still counts.
    else if (work && field !== "specialtyWorkSince") {
      out.facts.specialtyWorkSince = monthsBefore(ctx.today.slice(0, 7), work.months);
      sinceGraduationDenied = true;
    }

    const employer = negated || defining ? undefined : parseEmployerType(clause);
    if (employer) out.facts.employerType = employer;

    // "省部级奖没有": a denial names the award it denies.
    const noAwards = LEXICON.statements.awardsNone.test(clause) && !asking;
    const awards = noAwards ? [] : parseAwards(clause);
    const tooFar = awards.find((a) => a.rank !== undefined && a.rank > LEXICON.ranges.rank.max);
    if (tooFar?.rank !== undefined) out.outOfRange = { field: "awards", value: tooFar.rank };
    else if (awards.length > 0) {
      const ranked = awards.filter((a): a is Award => a.rank !== undefined);
      // An award without its rank is asked about; it does not make the list "none so far".
      if (ranked.length > 0) out.facts.awards = [...(out.facts.awards ?? []), ...ranked];
      out.awardsWithoutRank.push(...awards.filter((a) => a.rank === undefined).map((a) => a.kind));
    } else {
      // "省部级科技进步奖，排名第2": the rank in the next clause belongs to the award named before it.
      const rank = RANK_ONLY.exec(arabicNumerals(clause));
      const kind = out.awardsWithoutRank.at(-1);
      if (rank && kind) {
        const n = Number(rank[1]);
        if (n > LEXICON.ranges.rank.max) out.outOfRange = { field: "awards", value: n };
        else if (n > 0) {
          out.awardsWithoutRank.pop();
          out.facts.awards = [...(out.facts.awards ?? []), { kind, rank: n }];
        }
      }
    }

    if (
      /论文|专利|成果|报告|著作|软著|标准|专著|教材|sci|ei|核心|期刊|文章/.test(clause) ||
      pending === "achievements"
    ) {
      let count =
        /\d\s*年|[年月]/.test(clause) && pending !== "achievements"
          ? undefined
          : parseAchievementCount(clause);
      // "一篇论文都没有": none.
      if (count === 1 && /(?:都|也)没|一[篇项个件]也没/.test(clause)) count = 0;
      if (count === undefined && LEXICON.statements.achievementsNone.test(clause) && !asking) count = 0;
      if (count !== undefined && count > LEXICON.ranges.achievements.max)
        out.outOfRange = { field: "achievements", value: count };
      else if (count !== undefined && awards.length === 0)
        out.facts.achievements = (out.facts.achievements ?? 0) + count;
    }

    if (/自评|评分|得分|\d\s*分/.test(clause) || pending === "selfScore") {
      const score = date ? undefined : parseScore(clause);
      if (score !== undefined && (pending === "selfScore" || /分|自评/.test(clause))) {
        if (score > LEXICON.ranges.selfScore.max) out.outOfRange = { field: "selfScore", value: score };
        else out.facts.selfScore = score;
      }
    }

    if (/第一次|首次|头一次/.test(clause) && /不是|非/.test(clause)) out.facts.firstApplication = false;
    else if (
      /第一次|首次|头一次/.test(clause) &&
      (pending === "firstApplication" || /申报|评|报/.test(clause))
    )
      out.facts.firstApplication = true;
    else if (/第[二三四五六2-6]次|之前报过|以前报过|报过[一两]次|又报/.test(clause))
      out.facts.firstApplication = false;
    else if (/(?:之前|以前|从来|从)没(?:有)?(?:申)?(?:报|评)过/.test(clause) && !aboutOtherApplication)
      out.facts.firstApplication = true;
    for (const f of ["performanceMet", "continuingEducationMet", "otherApplicationThisYear"] as const) {
      const said = statementOf(clause, LEXICON.statements[f]);
      if (said === "unknown") out.unknownFields.push(f);
      else if (said !== undefined) out.facts[f] = said;
    }
    if (noAwards) out.facts.awards ??= [];
    if (LEXICON.statements.levelUnknown.test(clause) && LEXICON.unknown.test(clause))
      out.unknownFields.push("targetLevel");
  });

  // "16年入行，一直搞数据": a start of work given in so many words is not "since graduation".
  if (sinceGraduationDenied || out.yearOnly?.field === "specialtyWorkSince")
    out.specialtySinceGraduation = false;
  applyBareAnswer(text, clauses, pending, out);
  return out;
}

/** "毕业5年": a duration since graduating, read like "毕业5年了". */
function yearsSinceGraduation(clause: string): { kind: "months"; months: number } | undefined {
  const m = /毕业(?:已经|已|快|有|了)?\s*((?:\d|[零〇一二两三四五六七八九十])+\s*年(?:半|多)?)/.exec(clause);
  const months = m?.[1] ? parseDurationMonths(m[1]) : undefined;
  return months ? { kind: "months", months } : undefined;
}

/** Short answers that only mean something as the answer to the pending question. */
function applyBareAnswer(
  text: string,
  clauses: string[],
  pending: ProfileField | undefined,
  out: Extraction,
): void {
  if (!pending) return;
  const saidSomething =
    Object.keys(out.facts).length > 0 || Object.keys(out.title).length > 0 || out.unknownFields.length > 0;
  const first = clauses[0] ?? "";
  // "这个不知道，不过我是硕士": the first words answer the question, the rest adds facts.
  if (
    (!saidSomething && isUnknownAnswer(text)) ||
    (clauses.length > 1 && isUnknownAnswer(first) && first.length <= 8)
  ) {
    if (out.facts[pending] === undefined) out.unknownPending = true;
    return;
  }
  // "满足的，项目经验很多": a yes or no first, then words around it.
  const yes = parseYesNo(text) ?? (clauses.length > 1 ? parseYesNo(first) : undefined);
  if (BOOLEAN_FIELDS.has(pending) && yes !== undefined && out.facts[pending] === undefined) {
    (out.facts as Record<string, unknown>)[pending] = yes;
  }
  if (yes === false && !saidSomething) {
    if (pending === "awards") out.facts.awards = [];
    if (pending === "achievements") out.facts.achievements = 0;
    if (pending === "currentTitle") out.title.level = "none";
  }
}
