// User-visible Chinese text of deadline ids, subscriptions and reminders (one catalogue).

/** `2024年9月20日24:00`: the date (and time) as the notices print them. */
export function printedDate(date: string, time?: string): string {
  const [y, m, d] = [Number(date.slice(0, 4)), Number(date.slice(5, 7)), Number(date.slice(8, 10))];
  return `${y}年${m}月${d}日${time ?? ""}`;
}

function when(daysLeft: number): string {
  if (daysLeft <= 0) return "今天截止";
  return daysLeft === 1 ? "明天截止" : `还有${daysLeft}天截止`;
}

export const REMINDER_TEXT = {
  duplicateDeadlineId: (id: string, firstFile: string) =>
    `截止事项编号 ${id} 重复（已在 ${firstFile} 中使用）`,
  /** A deadline reminder: what, whose step, the date as printed, the clause, how to unsubscribe. */
  reminder: (r: {
    /** Calendar days from the day it is sent to the deadline's day. */
    daysLeft: number;
    scope: string;
    what: string;
    who?: string | undefined;
    date: string;
    time?: string | undefined;
    source: string;
    clause: string;
    unsubscribe: string;
  }) =>
    [
      `【截止提醒】${r.scope}：${when(r.daysLeft)}`,
      `事项：${r.what}`,
      ...(r.who ? [`办理方：${r.who}`] : []),
      `截止时间：${printedDate(r.date, r.time)}`,
      `依据：${r.source}：${r.clause}`,
      `退订：发送 ${r.unsubscribe}`,
    ].join("\n"),
};
