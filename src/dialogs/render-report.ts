// The verdict as a phone-sized reply, and the full list with clause texts on "详细".
import { EMPLOYER_NAMES, FIELD_NAMES, ZH } from "../i18n/zh-CN.ts";
import { RULES_TEXT } from "../i18n/rules-messages.ts";
import { allRoundsClosed } from "../shared/report.ts";
import { LEVEL_NAMES, type Citation } from "../shared/domain.ts";
import { loadRegions, regionLabel, type RegionCatalogue } from "../shared/regions.ts";
import { LEXICON } from "./dialog-lexicon.ts";
import type { ProfileField } from "../shared/profile.ts";
import type {
  CriterionResult,
  CriterionStatus,
  Deadline,
  EligibilityReport,
  Verdict,
} from "../shared/report.ts";
import type { Reply } from "../shared/chat.ts";
import type { DraftProfile } from "./types.ts";

const SHORT_CRITERIA = 5;
const SHORT_DEADLINES = 3;

// What explains the verdict comes first: met conditions under "符合", unmet ones under "暂不符合".
const ORDER: Record<Verdict, Record<CriterionStatus, number>> = {
  eligible: { met: 0, unknown: 1, unmet: 2 },
  ineligible: { unmet: 0, unknown: 1, met: 2 },
  undetermined: { unknown: 0, unmet: 1, met: 2 },
};

function criterionLine(c: CriterionResult, withText: boolean): string {
  const head = `${ZH.criterionMark[c.status]} ${c.description}（${c.citation.path}）`;
  return withText ? `${head}\n   “${c.citation.text}”` : head;
}

function deadlineLine(d: Deadline): string {
  return ZH.deadlineItem(d.date, d.time, d.what, d.who);
}

function scopeOf(profile: DraftProfile, regions: RegionCatalogue): string {
  return ZH.regionLevel(
    profile.region && regionLabel(profile.region, regions),
    profile.targetLevel && LEVEL_NAMES[profile.targetLevel],
  );
}

function nextStep(report: EligibilityReport, unknownFields: ProfileField[]): string {
  if (report.verdict === "eligible")
    return report.deadlines.length > 0 ? ZH.nextStep.eligible : ZH.nextStep.eligibleNoDeadlines;
  if (report.verdict === "ineligible")
    return report.earliestEligible ? ZH.nextStep.waiting(report.earliestEligible) : ZH.nextStep.ineligible;
  if (report.sourcesNotHeld.length > 0) return ZH.nextStep.sourcesNotHeld(report.sourcesNotHeld.join("、"));
  const open = report.missing.filter((f): f is ProfileField => unknownFields.includes(f as ProfileField));
  if (open.length > 0) return ZH.nextStep.unknowns(open.map((f) => FIELD_NAMES[f]).join("、"));
  return ZH.nextStep.undetermined;
}

function uniqueCitations(cs: Citation[]): Citation[] {
  const seen = new Set<string>();
  return cs.filter((c) => !seen.has(c.clauseId) && seen.add(c.clauseId));
}

/**
 * One clear line, the criteria (unmet and unknown first) with their clause paths, the earliest
 * eligible month, the next deadlines and what to do next. `detailed` lists every criterion with
 * its clause text, the assumptions and every deadline.
 */
export function renderReport(
  report: EligibilityReport,
  profile: DraftProfile,
  unknownFields: ProfileField[],
  detailed = false,
  regions: RegionCatalogue = loadRegions(),
): Reply {
  // Civil servants, 参公 staff and retirees are outside every notice's scope for good: no "暂", no advice to prepare.
  const excluded =
    report.verdict === "ineligible" &&
    !report.earliestEligible &&
    profile.employerType !== undefined &&
    LEXICON.permanentEmployerTypes.includes(profile.employerType)
      ? profile.employerType
      : undefined;
  const scope = scopeOf(profile, regions);
  const lines = excluded
    ? [ZH.verdictLine.excluded(scope), ZH.excluded(EMPLOYER_NAMES[excluded])]
    : [ZH.verdictLine[report.verdict](scope)];
  // Every round covering the case has closed: say so first; the criteria still explain what the next round asks.
  const closed = allRoundsClosed(report.rounds);
  if (closed !== undefined && !excluded)
    lines.push(RULES_TEXT.roundClosed(closed), RULES_TEXT.criteriaForNextRound);
  const order = ORDER[report.verdict];
  const criteria = [...report.criteria].sort((a, b) => order[a.status] - order[b.status]);
  const shown = detailed ? criteria : criteria.slice(0, SHORT_CRITERIA);
  if (detailed) lines.push(ZH.detailsTitle);
  lines.push(...shown.map((c) => criterionLine(c, detailed)));
  if (criteria.length > shown.length) lines.push(ZH.moreCriteria(criteria.length - shown.length));
  if (detailed && report.assumptions.length > 0) {
    lines.push(
      ZH.assumptionsTitle,
      ...report.assumptions.map((a) => `· ${a.description}（${a.citation.path}）`),
    );
  }
  if (detailed && report.sourcesNotHeld.length > 0)
    lines.push(ZH.sourcesNotHeldTitle(report.sourcesNotHeld.join("、")));
  if (report.earliestEligible) lines.push(ZH.earliestEligible(report.earliestEligible));
  const deadlines = detailed ? report.deadlines : report.deadlines.slice(0, SHORT_DEADLINES);
  if (deadlines.length > 0) lines.push(ZH.nextDeadlines, ...deadlines.map(deadlineLine));
  else if (closed === undefined) lines.push(ZH.noDeadlines);
  if (!excluded) lines.push(nextStep(report, unknownFields));
  if (!detailed) lines.push(ZH.detailsHint);
  const citations = uniqueCitations([...shown.map((c) => c.citation), ...deadlines.map((d) => d.citation)]);
  return { text: lines.join("\n"), citations };
}
