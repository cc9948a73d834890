// Replies for the look-ups that need no form: a policy answer, clauses, deadlines.
import { ZH } from "../i18n/zh-CN.ts";
import { LEVEL_NAMES, type Level, type Region } from "../shared/domain.ts";
import { loadRegions, regionLabel, type RegionCatalogue } from "../shared/regions.ts";
import type { Reply } from "../shared/chat.ts";
import type { AskResult, ClauseResult, DeadlineWithScope } from "../shared/report.ts";

const CLAUSE_PREVIEW = 120;
const REFERENCES_SHOWN = 3;

/** The answer with its clause references under it (the citations travel with the reply too). */
export function answerReply(result: AskResult): Reply {
  const refs = result.citations.slice(0, REFERENCES_SHOWN).map((c) => `· ${ZH.citationRef(c.title, c.path)}`);
  return { text: [result.answer, ...refs].join("\n"), citations: result.citations };
}

/** The best clauses for a query, each with its place and the start of its words. */
export function clausesReply(result: ClauseResult): Reply {
  if (result.clauses.length === 0) return { text: ZH.clauseNone(result.query) };
  const lines = result.clauses.map((c) => {
    const text = c.text.length > CLAUSE_PREVIEW ? `${c.text.slice(0, CLAUSE_PREVIEW)}…` : c.text;
    return `· ${ZH.citationRef(c.title, c.path)}\n  ${text}`;
  });
  const citations = result.clauses.map(({ score: _score, ...c }) => c);
  return { text: [ZH.clauseHeader(result.query), ...lines].join("\n"), citations };
}

/** The next deadlines of a region and level (either may be absent: then all of them). */
export function deadlinesReply(
  deadlines: DeadlineWithScope[],
  region?: Region,
  level?: Level,
  regions: RegionCatalogue = loadRegions(),
  /** The last of the scope's dated steps, when every one has passed: said instead of "none after today". */
  lastPast?: DeadlineWithScope,
): Reply {
  const scope =
    ZH.regionLevel(region && regionLabel(region, regions), level && LEVEL_NAMES[level]) || ZH.allScopes;
  if (deadlines.length === 0 && lastPast !== undefined) {
    const last = ZH.deadlineItem(lastPast.date, lastPast.time, lastPast.what, lastPast.who);
    return { text: ZH.deadlinesAllPast(scope, last), citations: [lastPast.citation] };
  }
  if (deadlines.length === 0) return { text: ZH.deadlinesNone(scope) };
  const lines = deadlines.map((d) => {
    const where = region ? "" : `${regionLabel(d.region, regions)} `;
    return `· ${where}${ZH.deadlineItem(d.date, d.time, d.what, d.who)}`;
  });
  return {
    text: [ZH.deadlinesHeader(scope), ...lines].join("\n"),
    citations: deadlines.map((d) => d.citation),
  };
}
