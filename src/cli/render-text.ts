// Plain-text renderings of the contract's results for people at a terminal (`--json` prints JSON instead).
import type { Citation } from "../shared/domain.ts";
import type { AskResult, ClauseResult, Deadline, EligibilityReport } from "../shared/report.ts";

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

export function renderReport(report: EligibilityReport): string {
  const lines = [`结论：${VERDICT[report.verdict]}`, ""];
  for (const c of report.criteria)
    lines.push(`${STATUS[c.status]} ${c.description}  (${source(c.citation)})`);
  if (report.sourcesNotHeld.length)
    lines.push("", `依据文件不在资料库中：${report.sourcesNotHeld.join("、")}`);
  if (report.missing.length) lines.push("", `还需要了解：${report.missing.join("、")}`);
  if (report.earliestEligible) lines.push("", `最早可申报：${report.earliestEligible}`);
  if (report.assumptions.length) {
    lines.push("", "默认满足（资料中无法核实）：");
    for (const a of report.assumptions) lines.push(`  · ${a.description}`);
  }
  if (report.deadlines.length)
    lines.push("", "时间节点：", ...report.deadlines.map((d) => `  ${deadlineLine(d)}`));
  return `${lines.join("\n")}\n`;
}
