// How an answer names where a clause stands: the notice's document number (or title) and the clause's path.
import type { KnowledgeBase } from "../knowledge/knowledge-base.ts";
import type { Clause } from "../shared/domain.ts";

/** "浙经信人事〔2024〕123号 四、(一)": the citation a reader can look up in the notice itself. */
export function clauseLocation(kb: KnowledgeBase, clause: Clause): string {
  const meta = kb.notice(clause.docId)?.meta;
  const doc = meta?.docNumber ?? `《${meta?.title ?? clause.docId}》`;
  return `${doc} ${clause.path}`;
}

/** A clause's label: its first phrase ("五、评审程序", "(一)个人申报"). */
export function clauseLabel(clause: Clause): string {
  return (clause.text.split(/[。；;：:\n]/u)[0] ?? clause.text).trim();
}
