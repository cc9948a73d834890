// Statements that contain an asked condition ("我们做的项目业绩条件是够的", "学时都登记了"), read with the lexicon's cues.
import { LEXICON, asksQuestion, type StatementCue } from "../dialog-lexicon.ts";

/**
 * What a clause states about a condition ("我们做的项目业绩条件是够的", "学时都登记了"): true, false,
 * "unknown", or undefined when it does not speak of it or asks about it. The earliest cue wins, the
 * longer on a tie, so "不够" denies and "没问题" affirms.
 */
export function statementOf(clause: string, cue: StatementCue): boolean | "unknown" | undefined {
  if (!cue.topic.test(clause)) return undefined;
  if (LEXICON.unknown.test(clause)) return "unknown";
  if (asksQuestion(clause)) return undefined;
  const yes = cue.yes.exec(clause);
  const no = cue.no.exec(clause);
  if (yes && no) {
    if (yes.index !== no.index) return yes.index < no.index;
    return yes[0].length > no[0].length;
  }
  return yes ? true : no ? false : undefined;
}
