// Chinese messages of the console's read-only routes (notices, clauses by id).

export const CONSOLE_MESSAGES = {
  unknownNotice: (docId: string) => `没有这份通知：${docId}`,
  unknownClause: (clauseId: string) => `没有这个条款：${clauseId}`,
} as const;
