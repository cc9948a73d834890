// User-visible Chinese text of deadline ids, subscriptions and reminders (one catalogue).

export const REMINDER_TEXT = {
  duplicateDeadlineId: (id: string, firstFile: string) =>
    `截止事项编号 ${id} 重复（已在 ${firstFile} 中使用）`,
};
