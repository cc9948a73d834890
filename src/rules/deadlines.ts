// Dated steps of every round (knowledge/deadlines/*.yaml), cited; filtered by region, level and date.
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { parse as parseYaml } from "yaml";
import { z } from "zod";
import type { KnowledgeBase } from "../knowledge/knowledge-base.ts";
import { LEVELS, REGION_ID, type Level, type Region } from "../shared/domain.ts";
import { isoDate } from "../shared/profile.ts";
import type { Deadline, DeadlineWithScope } from "../shared/report.ts";
import { RULES_TEXT } from "../i18n/rules-messages.ts";
import { REMINDER_TEXT } from "../i18n/reminder-messages.ts";
import { RulesLoadError, locateIssue } from "./rules-load-error.ts";
import { roundOpens, type RoundSpan } from "./rounds.ts";
import { workingDaysBefore } from "./working-days.ts";

/** A round's or a step's part of a deadline id: lower-case letters, digits and hyphens. */
const DEADLINE_PART = /^[a-z0-9]+(?:-[a-z0-9]+)*$/;

const roundFileSchema = z.object({
  id: z.string().regex(DEADLINE_PART, "应为小写字母、数字和连字符"),
  docId: z.string().min(1),
  region: z.string().regex(REGION_ID),
  levels: z.array(z.enum(LEVELS)).min(1),
  steps: z
    .array(
      z.object({
        /** Stable: with the round's id it names this deadline for good (reminders already sent are filed under it). */
        id: z.string().regex(DEADLINE_PART, "应为小写字母、数字和连字符"),
        date: isoDate,
        /** As the notice prints it, e.g. "24:00". */
        time: z
          .string()
          .regex(/^([01]\d|2[0-4]):[0-5]\d$/, "应为 HH:mm")
          .optional(),
        what: z.string().min(1),
        who: z.string().min(1),
        clause: z.string().min(1),
        /**
         * Before this step, the employer holds a publicity period of this many working days, which must
         * be over (without objection) before it submits: the step's own day is not a publicity day.
         */
        publicityWorkingDays: z.number().int().positive().optional(),
        /**
         * A date things are counted to (qualifications, results), not a step anyone takes: listed with the
         * deadlines, but the round is over once its last step has passed, whatever it counts to.
         */
        countsTo: z.boolean().optional(),
      }),
    )
    .min(1),
  /** The day the round opens, when its notice's date does not say (see roundOpens). */
  opens: isoDate.optional(),
});

/** A deadline as loaded: its stable id is always set. */
export type IdentifiedDeadline = DeadlineWithScope & { id: string };

/** Every dated step of every round, soonest first, and the rounds themselves. */
export interface DeadlineBook {
  deadlines: readonly DeadlineWithScope[];
  /** The rounds, one per round file (absent: none). */
  rounds?: readonly RoundSpan[];
}

export interface DeadlineFilter {
  region?: Region;
  level?: Level;
  /** `YYYY-MM-DD`: keep steps on or after this day. */
  after?: string;
}

/** Orders deadlines soonest first; on one day an untimed step before a timed one, then by time. */
export function compareDeadlines(a: Deadline, b: Deadline): number {
  return a.date.localeCompare(b.date) || (a.time ?? "").localeCompare(b.time ?? "");
}

/** Loads every `*.yaml` round file in `dir`; throws RulesLoadError naming file, step and field. */
export function loadDeadlines(dir: string, kb: KnowledgeBase): DeadlineBook {
  const files = readdirSync(dir)
    .filter((f) => f.endsWith(".yaml"))
    .sort();
  const seen = new Map<string, string>();
  const compiled = files.map((name) => {
    let raw: unknown;
    try {
      raw = parseYaml(readFileSync(join(dir, name), "utf8"));
    } catch (cause) {
      throw new RulesLoadError(name, "(file)", "(yaml)", String(cause), { cause });
    }
    const round = compileRound(name, raw, kb);
    for (const step of round.steps) {
      const first = seen.get(step.id);
      if (first !== undefined)
        throw new RulesLoadError(name, step.id, "id", REMINDER_TEXT.duplicateDeadlineId(step.id, first));
      seen.set(step.id, name);
    }
    return round;
  });
  return {
    deadlines: compiled.flatMap((c) => c.steps).sort(compareDeadlines),
    rounds: compiled.map((c) => c.span),
  };
}

function compileRound(
  file: string,
  raw: unknown,
  kb: KnowledgeBase,
): { steps: IdentifiedDeadline[]; span: RoundSpan } {
  const parsed = roundFileSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const { rule, field } = locateIssue(raw, issue?.path ?? []);
    throw new RulesLoadError(file, rule, field, issue?.message ?? "格式不合法");
  }
  const round = parsed.data;
  if (!kb.notice(round.docId))
    throw new RulesLoadError(file, round.id, "docId", RULES_TEXT.unknownClause(round.docId));
  const taken = round.steps.filter((s) => s.countsTo !== true).map((s) => s.date);
  if (taken.length === 0) throw new RulesLoadError(file, round.id, "steps", RULES_TEXT.noRoundStep);
  const span: RoundSpan = {
    docId: round.docId,
    region: round.region,
    levels: round.levels,
    opens: round.opens ?? roundOpens(kb.notice(round.docId)?.meta.date ?? null),
    lastStep: taken.reduce((a, b) => (a > b ? a : b)),
  };
  const steps = round.steps.map((s): IdentifiedDeadline => {
    const clause = kb.clause(s.clause);
    if (!clause || clause.docId !== round.docId)
      throw new RulesLoadError(file, s.id, "clause", RULES_TEXT.unknownClause(s.clause));
    let what = s.what;
    if (s.publicityWorkingDays) {
      const { start, end } = workingDaysBefore(s.date, s.publicityWorkingDays);
      what += RULES_TEXT.publicityBeforeSubmission(s.publicityWorkingDays, start, end);
    }
    return {
      id: `${round.id}/${s.id}`,
      date: s.date,
      ...(s.time ? { time: s.time } : {}),
      what,
      who: s.who,
      docId: round.docId,
      citation: kb.cite(s.clause),
      region: round.region,
      levels: round.levels,
    };
  });
  return { steps, span };
}

/** The steps matching the filter (region, level, on or after `after`), soonest first. Pure. */
export function listDeadlines(book: DeadlineBook, filter: DeadlineFilter = {}): DeadlineWithScope[] {
  return book.deadlines.filter(
    (d) =>
      (filter.region === undefined || d.region === filter.region) &&
      (filter.level === undefined || d.levels.includes(filter.level)) &&
      (filter.after === undefined || d.date >= filter.after),
  );
}

/** The rounds of the deadline files in `dir` (none when the folder does not exist), for `ask`. */
export function loadRoundSpans(dir: string, kb: KnowledgeBase): readonly RoundSpan[] {
  return existsSync(dir) ? (loadDeadlines(dir, kb).rounds ?? []) : [];
}
