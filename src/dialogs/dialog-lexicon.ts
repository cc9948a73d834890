// The dialog's vocabulary (knowledge/dialog/lexicon.json), validated and compiled once per file.
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { readJsonFile } from "../shared/read-json-file.ts";
import { LEVELS } from "../shared/domain.ts";
import {
  EDUCATIONS,
  EMPLOYER_TYPES,
  PROFILE_FIELDS,
  type Education,
  type EmployerType,
  type ProfileField,
} from "../shared/profile.ts";

/** The project's dialog lexicon. */
export const DEFAULT_DIALOG_LEXICON = fileURLToPath(
  new URL("../../knowledge/dialog/lexicon.json", import.meta.url),
);

const text = z.string().min(1);
const statement = z.object({ topic: text, yes: text, no: text });

const schema = z.object({
  english: z.array(z.object({ words: z.array(text).min(1), as: text })),
  confusables: z.record(z.string().length(1), text),
  typoTargets: z.array(z.string().min(2)),
  editDistanceMinLength: z.number().int().min(3),
  answers: z.object({
    yes: z.array(text),
    no: z.array(text),
    particles: text,
    modifiers: text,
    unknown: text,
  }),
  statements: z.object({
    performanceMet: statement,
    continuingEducationMet: statement,
    otherApplicationThisYear: statement,
    awardsNone: text,
    levelUnknown: text,
    achievementsNone: text,
  }),
  education: z.array(z.object({ value: z.enum(EDUCATIONS), pattern: text })),
  postgraduate: text,
  employer: z.array(z.object({ value: z.enum(EMPLOYER_TYPES), pattern: text })),
  permanentEmployerTypes: z.array(z.enum(EMPLOYER_TYPES)),
  titles: z.object({ none: text, ...Object.fromEntries(LEVELS.map((l) => [l, text])) }),
  cues: z.object({
    question: text,
    notQuestion: text,
    eligibility: text,
    subscribe: text,
    statement: text,
    negated: text,
    definition: text,
    policyQuestion: text,
    lookup: text,
    edit: text,
    correction: text,
  }),
  fieldWords: z.array(
    z.object({ field: z.enum(PROFILE_FIELDS as [ProfileField, ...ProfileField[]]), pattern: text }),
  ),
  intents: z.object({
    forget: text,
    reset: text,
    welcome: text,
    help: text,
    details: text,
    clause: text,
    deadlines: text,
  }),
  ranges: z.object({
    achievements: z.object({ max: z.number() }),
    rank: z.object({ max: z.number() }),
    selfScore: z.object({ max: z.number() }),
  }),
});

type Raw = z.infer<typeof schema>;

/** A statement's topic and its affirming and denying words, compiled. */
export interface StatementCue {
  topic: RegExp;
  yes: RegExp;
  no: RegExp;
}

/** The lexicon, with its patterns compiled. */
export interface DialogLexicon {
  english: Array<{ pattern: RegExp; as: string }>;
  confusables: Map<string, string>;
  typoTargets: string[];
  editDistanceMinLength: number;
  yes: RegExp;
  no: RegExp;
  unknown: RegExp;
  statements: {
    performanceMet: StatementCue;
    continuingEducationMet: StatementCue;
    otherApplicationThisYear: StatementCue;
    awardsNone: RegExp;
    /** "不知道评哪级": the level applied for is not known yet. */
    levelUnknown: RegExp;
    /** "没有发表过论文": no results (a count of 0). */
    achievementsNone: RegExp;
  };
  education: Array<[RegExp, Education]>;
  postgraduate: RegExp;
  employer: Array<[RegExp, EmployerType]>;
  permanentEmployerTypes: EmployerType[];
  /** Title names, most specific first (正高 before 高级), each a global pattern. */
  titles: Array<[RegExp, string]>;
  question: RegExp;
  /** "没拿过什么奖", "啥奖都没拿过": 什么 and 啥 in a denial, not a question. */
  notQuestion: RegExp;
  eligibility: RegExp;
  subscribe: RegExp;
  /** Words of a statement about oneself ("我们…是够的", "…都登记了"): without a question cue, not a question. */
  statement: RegExp;
  /** A clause that denies what it names ("我不是公务员", "不在北京"). */
  negated: RegExp;
  /** A clause asking what a word means ("什么是本系列"): it states nothing about the sender. */
  definition: RegExp;
  /** Words of a policy question ("需要什么条件", "公示几天"): asked of the Q&A even when it names a level. */
  policyQuestion: RegExp;
  /** Words that make a message with no facts a look-up for the Q&A ("继续教育", "破格"). */
  lookup: RegExp;
  /** "改一下学历": the user wants to fill a field in again. */
  edit: RegExp;
  /** "不对，…", "说错了，…": the message corrects what was recorded. */
  correction: RegExp;
  /** The field a phrase names ("学历" → education), specific before general. */
  fieldWords: Array<[RegExp, ProfileField]>;
  /** Phrases that are commands said in words ("删除我的信息", "重新开始", "详细"); `clause` captures its query. */
  intents: Record<keyof Raw["intents"], RegExp>;
  ranges: Raw["ranges"];
}

const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");

function compile(file: string, raw: Raw): DialogLexicon {
  const re = (source: string, where: string, flags = "") => {
    try {
      return new RegExp(source, flags);
    } catch (cause) {
      throw new Error(`${file}: ${where}: 不是合法的正则表达式`, { cause });
    }
  };
  const words = (list: string[]) =>
    [...list]
      .sort((a, b) => b.length - a.length)
      .map(escape)
      .join("|");
  const particles = `[${escape(raw.answers.particles)}]*`;
  const st = (s: Raw["statements"]["performanceMet"], where: string): StatementCue => ({
    topic: re(s.topic, `${where}.topic`),
    yes: re(s.yes, `${where}.yes`),
    no: re(s.no, `${where}.no`),
  });
  const titleOrder = ["none", "professor", "senior", "assistant", "engineer", "technician"] as const;
  const titles = raw.titles as Record<string, string>;
  return {
    // English words only as whole words: "company" holds no "mba", "impact" no "mpa".
    english: raw.english.flatMap((e) =>
      e.words.map((w) => ({
        pattern: re(`(?<![a-z0-9'.])${escape(w.toLowerCase())}(?![a-z0-9'])`, `english ${w}`, "g"),
        as: e.as,
      })),
    ),
    confusables: new Map(Object.entries(raw.confusables)),
    typoTargets: raw.typoTargets,
    editDistanceMinLength: raw.editDistanceMinLength,
    yes: re(`^(?:${raw.answers.modifiers})*(?:${words(raw.answers.yes)})${particles}$`, "answers.yes"),
    no: re(
      `^(?:${words(raw.answers.no)})(?:[有的了啊呢吧是够满]|满足|符合|达到)*${particles}$`,
      "answers.no",
    ),
    unknown: re(raw.answers.unknown, "answers.unknown"),
    statements: {
      performanceMet: st(raw.statements.performanceMet, "statements.performanceMet"),
      continuingEducationMet: st(raw.statements.continuingEducationMet, "statements.continuingEducationMet"),
      otherApplicationThisYear: st(
        raw.statements.otherApplicationThisYear,
        "statements.otherApplicationThisYear",
      ),
      awardsNone: re(raw.statements.awardsNone, "statements.awardsNone"),
      levelUnknown: re(raw.statements.levelUnknown, "statements.levelUnknown"),
      achievementsNone: re(raw.statements.achievementsNone, "statements.achievementsNone"),
    },
    education: raw.education.map((e) => [re(e.pattern, `education ${e.value}`), e.value]),
    postgraduate: re(raw.postgraduate, "postgraduate"),
    employer: raw.employer.map((e) => [re(e.pattern, `employer ${e.value}`), e.value]),
    permanentEmployerTypes: raw.permanentEmployerTypes,
    titles: titleOrder.map((level) => [re(titles[level] ?? "", `titles.${level}`, "g"), level]),
    question: re(raw.cues.question, "cues.question"),
    notQuestion: re(raw.cues.notQuestion, "cues.notQuestion", "g"),
    negated: re(raw.cues.negated, "cues.negated"),
    definition: re(raw.cues.definition, "cues.definition"),
    policyQuestion: re(raw.cues.policyQuestion, "cues.policyQuestion"),
    lookup: re(raw.cues.lookup, "cues.lookup"),
    edit: re(raw.cues.edit, "cues.edit"),
    correction: re(raw.cues.correction, "cues.correction"),
    fieldWords: raw.fieldWords.map((w) => [re(w.pattern, `fieldWords ${w.field}`), w.field]),
    intents: Object.fromEntries(
      Object.entries(raw.intents).map(([k, v]) => [k, re(v, `intents.${k}`)]),
    ) as Record<keyof Raw["intents"], RegExp>,
    eligibility: re(raw.cues.eligibility, "cues.eligibility"),
    subscribe: re(raw.cues.subscribe, "cues.subscribe"),
    statement: re(raw.cues.statement, "cues.statement"),
    ranges: raw.ranges,
  };
}

const cache = new Map<string, DialogLexicon>();

/** Loads, validates and compiles a dialog lexicon (cached per file). Errors name the file and the field. */
export function loadDialogLexicon(file: string = DEFAULT_DIALOG_LEXICON): DialogLexicon {
  const hit = cache.get(file);
  if (hit) return hit;
  const data = readJsonFile(file, schema);
  const lexicon = compile(file, data);
  cache.set(file, lexicon);
  return lexicon;
}

/** True when the text asks something: a question word or mark outside a denial ("没拿过什么奖" asks nothing). */
export function asksQuestion(text: string, lex: DialogLexicon = LEXICON): boolean {
  return lex.question.test(text.replace(lex.notQuestion, ""));
}

/** The project's lexicon, for the parsers' module-level use. */
export const LEXICON: DialogLexicon = loadDialogLexicon();
