// The heading outline of the clauses: which clause encloses which, recovered from clause ids.
import type { Clause } from "../shared/domain.ts";

/** Clause positions (indexes into the clause list) linked into their notices' heading tree. */
export interface ClauseOutline {
  /** Nearest enclosing clause of each clause (-1 at the top of a notice). */
  parentIndex: Int32Array;
  /** The clauses directly under each clause, in notice order. */
  childIndexes: Int32Array[];
}

/**
 * Links clauses by clause-id prefix within a notice: `doc:附件三、` encloses `doc:附件三、(四)1.`. The
 * clauses must be in notice order (as the knowledge base holds them), so a stack of open headings suffices.
 */
export function linkOutline(clauses: readonly Clause[]): ClauseOutline {
  const parentIndex = new Int32Array(clauses.length).fill(-1);
  const children: number[][] = clauses.map(() => []);
  const stack: number[] = [];
  clauses.forEach((clause, i) => {
    while (stack.length > 0) {
      const top = clauses[stack[stack.length - 1] ?? -1];
      if (top && top.docId === clause.docId && clause.clauseId.startsWith(top.clauseId)) break;
      stack.pop();
    }
    const parent = stack[stack.length - 1];
    if (parent !== undefined) {
      parentIndex[i] = parent;
      children[parent]?.push(i);
    }
    stack.push(i);
  });
  return { parentIndex, childIndexes: children.map((list) => Int32Array.from(list)) };
}
