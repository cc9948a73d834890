// The topic guard: subjects no held notice covers (pay, language or computer exams, household registration,
// social insurance…), refused whatever region a question names (the lexicon's uncoveredTopics).
import type { KnowledgeBase } from "../knowledge/knowledge-base.ts";
import type { AskDeps } from "./answer-question.ts";
import type { QueryAnalysis } from "./query-analysis.ts";

const texts = new WeakMap<KnowledgeBase, string>();

// Every title and clause of every notice, lower-cased.
function allNoticesText(kb: KnowledgeBase): string {
  let text = texts.get(kb);
  if (text === undefined) {
    const parts: string[] = [];
    for (const notice of kb.notices.values())
      parts.push(notice.meta.title, ...notice.clauses.map((c) => c.text));
    text = parts.join("\n").toLowerCase();
    texts.set(kb, text);
  }
  return text;
}

/**
 * Whether a cue is one of the question's words, a part of one (住房补贴 holds 补贴) or a run of them
 * (计算机 + 考试), not characters across two words: "高工资历" is 高工 and 资历, no 工资.
 */
function isWordIn(deps: AskDeps, text: string, cue: string): boolean {
  const { tokenizer } = deps.retriever;
  if (tokenizer.words(text).some((w) => w.includes(cue))) return true;
  const main = tokenizer.mainWords(text);
  for (let i = 0; i < main.length; i++) {
    let run = "";
    for (let j = i; j < main.length && run.length < cue.length; j++) run += main[j];
    if (run === cue) return true;
  }
  return false;
}

/**
 * The subject no held notice covers that a question asks about (pay and allowances, language or computer
 * exams, household registration: the lexicon's uncoveredTopics), whatever region it names; undefined
 * otherwise. A cue the notices use inside a longer name ("人事工资管理服务系统") is that name, not the
 * subject: it counts only when neither two characters before it nor two after it are what the notices say.
 */
export function uncoveredTopic(deps: AskDeps, analysis: QueryAnalysis): string | undefined {
  const topics = deps.retriever.data.lexicon.uncoveredTopics ?? [];
  const text = analysis.normalized;
  const notices = allNoticesText(deps.kb);
  for (const { name, cues } of topics) {
    for (const cue of cues) {
      for (let at = text.indexOf(cue); at >= 0; at = text.indexOf(cue, at + 1)) {
        const before = text.slice(Math.max(0, at - 2), at + cue.length);
        const after = text.slice(at, at + cue.length + 2);
        const inName =
          (before.length > cue.length && notices.includes(before)) ||
          (after.length > cue.length && notices.includes(after));
        if (!inName && isWordIn(deps, text, cue)) return name;
      }
    }
  }
  return undefined;
}
