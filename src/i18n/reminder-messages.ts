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

const USAGE =
  "订阅截止提醒：发送 /subscribe 地区 [级别]，例如 /subscribe 巴中 工程师；退订：/unsubscribe [地区 [级别]]；查看：/subscriptions。";

export const REMINDER_TEXT = {
  usage: USAGE,
  needRegion: (regions: string) => `请说明要订阅哪个地区（${regions}）。${USAGE}`,
  unknownPlace: (place: string, regions: string) =>
    `我的资料中没有${place}的职称通知，只能订阅${regions}的截止提醒。`,
  subscribed: (scope: string) =>
    `已订阅${scope}的截止提醒：每个截止日前14、7、3、1天和当天上午9点（遇节假日提前到前一个工作日）在这里提醒。`,
  already: (scope: string) => `这里已经订阅了${scope}的截止提醒。`,
  allClosed: (scope: string, lastDay: string) =>
    `注意：已收录的${scope}申报轮次都已结束（最后一个截止日为${printedDate(lastDay)}），目前没有要提醒的日期；订阅会保留，发布新通知后会按新的截止日期提醒。`,
  noRound: (scope: string) =>
    `注意：我的资料中${scope}目前没有带截止日期的申报轮次；订阅会保留，发布新通知后会按其截止日期提醒。`,
  unsubscribed: (scopes: string) => `已退订：${scopes}。`,
  nothingToRemove: "这里没有相应的订阅。",
  list: (scopes: readonly string[]) =>
    scopes.length === 0 ? `这里还没有订阅截止提醒。${USAGE}` : `这里订阅了：${scopes.join("、")}。`,
  adminsOnly: "在群里只有群管理员可以订阅或退订截止提醒。",
  icsInstead: (link: string) =>
    `这个渠道不能主动给您发消息，所以无法推送提醒。可以把截止日期加入日历（含提前提醒）：${link}`,
  forgotten: (n: number) => (n > 0 ? `已同时删除这里的 ${n} 个截止提醒订阅。` : ""),
  busy: "服务繁忙，订阅没有保存，请稍后再试。",
  adminUnauthorized: "需要 Authorization: Bearer <ADMIN_TOKEN>。",
  reloadFailed: (reason: string) => `知识库未能重新加载，仍使用原来的内容：${reason}`,
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

/** What `reminders` and `worker` print. */
export const REMINDER_CLI = {
  needsRedis:
    "reminders 和 worker 需要 REDIS_URL（或 REDIS_SENTINELS / REDIS_CLUSTER_NODES）：服务器的订阅和发送记录保存在 Redis 中。",
  usage: "用法：reminders due [--at <ISO 8601 时间>] [--json] · reminders send [--at <ISO 8601 时间>]",
  badAt: (text: string) =>
    `--at 的值“${text}”不是 ISO 8601 时间（例如 2024-10-18T09:00 或 2024-10-18T01:00:00Z）`,
  none: "没有到期未发送的提醒。",
  dueLine: (chat: string, date: string, what: string, offsets: string) =>
    `${chat}  ${date}  ${what}  （提前${offsets}天）`,
  sentLine: (chat: string, deadlineId: string) => `已发送  ${chat}  ${deadlineId}`,
  skippedLine: (chat: string, deadlineId: string, why: string) =>
    `未发送  ${chat}  ${deadlineId}  （${why}）`,
  failedLine: (chat: string, deadlineId: string, reason: string) =>
    `发送失败  ${chat}  ${deadlineId}：${reason}`,
  notDue: "已不再到期",
  claimed: "另一进程正在发送",
  sentCount: (n: number, failed: number) => `共发送 ${n} 条${failed > 0 ? `，失败 ${failed} 条` : ""}。`,
  workerStarted: (tickSeconds: number) =>
    `提醒发送进程已启动（每 ${tickSeconds} 秒检查一次到期提醒），按 Ctrl+C 停止。`,
  workerStopped: "提醒发送进程已停止。",
};
