// Plain-text renderings of the contract's results for people at a terminal (`--json` prints JSON instead).
import type { Citation } from "../shared/domain.ts";
import type { AskResult, ClauseResult, Deadline, EligibilityReport } from "../shared/report.ts";
import { RULES_TEXT } from "../i18n/rules-messages.ts";
import { FIELD_NAMES } from "../i18n/zh-CN.ts";
import type { ProfileField } from "../shared/profile.ts";
import { allRoundsClosed } from "../shared/report.ts";

const VERDICT = {
  eligible: "符合申报条件",
  ineligible: "暂不符合申报条件",
  undetermined: "尚无法确定",
} as const;
const STATUS = { met: "✓", unmet: "✗", unknown: "?" } as const;

function source(c: Citation): string {
  return `${c.docNumber ?? c.title} ${c.path}`;
}

export function renderAsk(result: AskResult): string {
  const lines = [result.answer, ""];
  result.citations.forEach((c, i) => lines.push(`[${i + 1}] ${source(c)}  (${c.clauseId})`));
  return `${lines.join("\n").trimEnd()}\n`;
}

export function renderClauses(result: ClauseResult): string {
  if (!result.clauses.length) return "没有找到相关条款。\n";
  return `${result.clauses
    .map(
      (c, i) =>
        `${i + 1}. ${source(c)}  [${c.clauseId}]  score ${c.score.toFixed(2)}\n   ${c.text.replace(/\n/g, "\n   ")}`,
    )
    .join("\n\n")}\n`;
}

function deadlineLine(d: Deadline): string {
  return `${d.date}${d.time ? ` ${d.time}` : ""}  ${d.who ? `【${d.who}】` : ""}${d.what}  (${d.citation.path})`;
}

export function renderDeadlines(deadlines: readonly Deadline[]): string {
  return deadlines.length ? `${deadlines.map(deadlineLine).join("\n")}\n` : "没有符合条件的时间节点。\n";
}

// A round's notice title, from any citation of the report that quotes it (else its id).
function roundTitle(report: EligibilityReport, docId: string): string {
  const cited = [...report.criteria, ...report.deadlines, ...report.assumptions].find(
    (x) => x.citation.docId === docId,
  );
  return cited ? (cited.citation.docNumber ?? cited.citation.title) : docId;
}

export function renderReport(report: EligibilityReport): string {
  const lines = [`结论：${VERDICT[report.verdict]}`, ""];
  // A closed round: say so first; the criteria below still explain what the next round will most likely ask.
  const closed = allRoundsClosed(report.rounds);
  if (closed !== undefined) lines.push(RULES_TEXT.roundClosed(closed), RULES_TEXT.criteriaForNextRound, "");
  for (const c of report.criteria)
    lines.push(`${STATUS[c.status]} ${c.description}  (${source(c.citation)})`);
  if (report.sourcesNotHeld.length)
    lines.push("", `依据文件不在资料库中：${report.sourcesNotHeld.join("、")}`);
  if (report.missing.length) {
    const names = report.missing.map((f) => FIELD_NAMES[f as ProfileField] ?? f);
    lines.push("", `还需要了解：${names.join("、")}`);
  }
  if (report.earliestEligible) lines.push("", `最早可申报：${report.earliestEligible}`);
  if (report.assumptions.length) {
    lines.push("", "默认满足（资料中无法核实）：");
    for (const a of report.assumptions) lines.push(`  · ${a.description}`);
  }
  if (report.deadlines.length)
    lines.push("", "时间节点：", ...report.deadlines.map((d) => `  ${deadlineLine(d)}`));
  if (report.rounds.length) {
    lines.push("", RULES_TEXT.roundsHeader);
    for (const r of report.rounds)
      lines.push(
        `  ${RULES_TEXT.roundLine(roundTitle(report, r.docId), RULES_TEXT.roundStatus[r.status], r.lastStep)}`,
      );
  }
  return `${lines.join("\n")}\n`;
}
