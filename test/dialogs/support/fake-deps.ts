// A small hand-written stand-in for the engine and the Q&A that follows the contract's shapes.
// Its thresholds are invented for tests only: they are NOT policy and never leave test/.
import type { DialogDeps } from "../../../src/dialogs/types.ts";
import { fixedClock } from "../../../src/shared/clock.ts";
import type { Citation, Level, Region } from "../../../src/shared/domain.ts";
import type { Profile } from "../../../src/shared/profile.ts";
import type {
  AskResult,
  CriterionResult,
  CriterionStatus,
  DeadlineWithScope,
  EligibilityReport,
} from "../../../src/shared/report.ts";

const cite = (n: number): Citation => ({
  docId: "fake-doc",
  clauseId: `fake-${n}`,
  title: "测试用办法",
  path: `第${n}条`,
  text: `测试条款第${n}条的原文。`,
});

/** Whole months from a YYYY-MM to a YYYY-MM-DD. */
function monthsBetween(from: string, asOf: string): number {
  const [fy, fm] = from.split("-").map(Number) as [number, number];
  const [ty, tm] = asOf.split("-").map(Number) as [number, number];
  return ty * 12 + tm - (fy * 12 + fm);
}

const addMonths = (ym: string, n: number): string => {
  const [y, m] = ym.split("-").map(Number) as [number, number];
  const i = y * 12 + m - 1 + n;
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`;
};

// Invented: years needed in the specialty by education, for the fake "senior" level.
const YEARS_BY_EDUCATION: Record<string, number> = {
  doctorate: 2,
  master: 5,
  "second-bachelor": 7,
  bachelor: 8,
  "junior-college": 12,
};

/** The order the fake engine reports missing fields in (the brief's: region, targetLevel, education, graduated, …). */
export const FAKE_MISSING_ORDER = [
  "region",
  "targetLevel",
  "education",
  "graduated",
  "specialtyWorkSince",
  "currentTitle",
  "employerType",
  "awards",
  "achievements",
  "performanceMet",
  "selfScore",
  "continuingEducationMet",
] as const;

interface FakeCriterion {
  id: string;
  needs: string[];
  status: CriterionStatus;
  /** When the criterion is unmet only for lack of time: the month it becomes met. */
  waitUntil?: string;
}

function criteriaFor(p: Profile, asOf: string): FakeCriterion[] {
  const out: FakeCriterion[] = [];
  const needYears = p.targetLevel === "professor" ? 5 : p.targetLevel === "senior" ? 0 : -1;
  // 1. education and years in the specialty (counted from the later of graduation and start).
  const since = [p.graduated, p.specialtyWorkSince]
    .filter((x): x is string => !!x)
    .sort()
    .at(-1);
  if (p.education === undefined) out.push({ id: "years", needs: ["education"], status: "unknown" });
  else if (!p.graduated) out.push({ id: "years", needs: ["graduated"], status: "unknown" });
  else if (!p.specialtyWorkSince) out.push({ id: "years", needs: ["specialtyWorkSince"], status: "unknown" });
  else {
    const years = (YEARS_BY_EDUCATION[p.education] ?? 99) + Math.max(needYears, 0) + (needYears < 0 ? -2 : 0);
    const have = monthsBetween(since ?? "", asOf);
    const ok = have >= years * 12;
    out.push({
      id: "years",
      needs: [],
      status: ok ? "met" : "unmet",
      ...(ok || years >= 99 ? {} : { waitUntil: addMonths(since ?? "", years * 12) }),
    });
  }
  // 2. employer type: civil servants and retirees are out (invented).
  out.push({
    id: "employer",
    needs: p.employerType === undefined ? ["employerType"] : [],
    status:
      p.employerType === undefined
        ? "unknown"
        : ["civil-servant", "civil-servant-managed", "retired"].includes(p.employerType)
          ? "unmet"
          : "met",
  });
  // 3. results: two achievements, or an award ranked within the first three (invented).
  const award = p.awards?.some((a) => a.rank <= 3);
  const results: CriterionStatus =
    award === true || (p.achievements ?? -1) >= 2
      ? "met"
      : p.awards !== undefined && p.achievements !== undefined
        ? "unmet"
        : "unknown";
  out.push({
    id: "results",
    needs:
      results === "unknown"
        ? [
            ...(p.awards === undefined ? ["awards"] : []),
            ...(p.achievements === undefined ? ["achievements"] : []),
          ]
        : [],
    status: results,
  });
  // 4. Zhejiang: a self score of 60 and continuing education (invented).
  if (p.region === "zhejiang") {
    out.push({
      id: "score",
      needs: p.selfScore === undefined ? ["selfScore"] : [],
      status: p.selfScore === undefined ? "unknown" : p.selfScore >= 60 ? "met" : "unmet",
    });
  }
  // 5. Bazhong: a current title of the same series (invented).
  if (p.region === "sichuan-bazhong") {
    const t = p.currentTitle;
    out.push({
      id: "title",
      needs: t === undefined ? ["currentTitle"] : [],
      status: t === undefined ? "unknown" : t.level === "engineer" || t.level === "senior" ? "met" : "unmet",
    });
  }
  return out;
}

/** The fake engine: three-valued, `missing` in FAKE_MISSING_ORDER, an unheld document for zhejiang professor. */
export function fakeAssess(p: Profile, asOf: string): EligibilityReport {
  const list = criteriaFor(p, asOf);
  const unheld = p.region === "zhejiang" && p.targetLevel === "professor";
  const anyUnmet = list.some((c) => c.status === "unmet");
  const anyUnknown = list.some((c) => c.status === "unknown");
  const verdict = anyUnmet ? "ineligible" : anyUnknown || unheld ? "undetermined" : "eligible";
  const needs = new Set(list.flatMap((c) => c.needs));
  const missing = verdict === "undetermined" ? FAKE_MISSING_ORDER.filter((f) => needs.has(f)) : [];
  const unmet = list.filter((c) => c.status === "unmet");
  const earliest = unmet.length === 1 && unmet[0]?.waitUntil && !anyUnknown ? unmet[0].waitUntil : null;
  const criteria: CriterionResult[] = list.map((c, i) => ({
    id: c.id,
    description: `测试条件${c.id}`,
    status: c.status,
    citation: cite(i + 1),
  }));
  return {
    verdict,
    criteria,
    missing: [...missing],
    sourcesNotHeld: unheld ? ["浙经信人事〔2023〕240号"] : [],
    assumptions: [{ description: "职业道德（测试）", citation: cite(9) }],
    earliestEligible: earliest,
    deadlines: FAKE_DEADLINES.filter((d) => d.region === p.region && d.date >= asOf),
    rounds: [],
  };
}

export const FAKE_DEADLINES: DeadlineWithScope[] = (
  [
    ["beijing", "2024-09-20", "个人网上申报截止"],
    ["beijing", "2024-10-15", "单位审核截止"],
    ["zhejiang", "2024-09-30", "个人申报截止"],
    ["zhejiang", "2024-11-01", "评审"],
    ["sichuan-bazhong", "2024-10-10", "材料报送截止"],
  ] as Array<[Region, string, string]>
).map(([region, date, what], i) => ({
  region,
  levels: ["senior", "professor"] as Level[],
  date,
  what,
  docId: "fake-doc",
  citation: cite(20 + i),
}));

/** Test deps around the fake engine, at a fixed instant (2024-08-15 in Shanghai). */
export function fakeDeps(overrides: Partial<DialogDeps> = {}): DialogDeps & { asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    assess: fakeAssess,
    ask: (question: string): Promise<AskResult> => {
      asked.push(question);
      return Promise.resolve({
        question,
        answer: "测试答复：公示期为5个工作日。",
        grounded: true,
        citations: [cite(7)],
      });
    },
    clauses: (query, limit) => ({ query, clauses: [{ ...cite(3), score: 1 }].slice(0, limit) }),
    deadlines: (f) =>
      FAKE_DEADLINES.filter(
        (d) =>
          (!f.region || d.region === f.region) &&
          (!f.level || d.levels.includes(f.level)) &&
          (!f.after || d.date >= f.after),
      ),
    clock: fixedClock("2024-08-15T04:00:00Z"),
    ttlDays: 30,
    ...overrides,
  };
}
