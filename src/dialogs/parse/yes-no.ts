// Yes/no answers, in the forms the dialog lexicon lists: 是/对/够的/都登记了… and 没有/否/还差….
import { LEXICON } from "../dialog-lexicon.ts";

/** True/false for a short yes/no answer; undefined for anything longer or unclear. */
export function parseYesNo(text: string): boolean | undefined {
  const t = text.replace(/[\s,，。.!！~～、]+/g, "");
  if (t.length === 0 || t.length > 8) return undefined;
  if (LEXICON.no.test(t)) return false;
  if (LEXICON.yes.test(t)) return true;
  return undefined;
}
