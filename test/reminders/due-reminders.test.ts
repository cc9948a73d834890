// The pure due computation with a fake clock: schedule, working-day shifts, merge, catch-up, changed dates, 24:00.
import { describe, expect, it } from "vitest";
import { listDeadlines } from "../../src/rules/deadlines.ts";
import {
  dueReminders,
  nextFireAt,
  type SentRecord,
  type Subscription,
} from "../../src/reminders/due-reminders.ts";
import { chatKey } from "../../src/reminders/chat-ref.ts";
import { reminderSlots, shanghaiInstant } from "../../src/reminders/reminder-schedule.ts";
import { reminderReply } from "../../src/reminders/reminder-text.ts";
import type { DeadlineWithScope } from "../../src/shared/report.ts";
import { ruleBook } from "../rules/load-fixtures.ts";

const all = () => listDeadlines(ruleBook().deadlines);
const byId = (id: string): DeadlineWithScope & { id: string } => {
  const d = all().find((x) => x.id === id);
  if (!d) throw new Error(`no deadline ${id}`);
  return { ...d, id };
};
/** A Shanghai wall-clock instant. */
const at = (day: string, hour = 9, minute = 0) => shanghaiInstant(day, hour, minute);
const group: Subscription = {
  chat: { channel: "telegram", kind: "group", id: "-100" },
  region: "sichuan-bazhong",
};
const key = chatKey(group.chat);
const sentFor = (deadlineId: string, ...offsets: number[]): SentRecord[] =>
  offsets.map((offset) => ({ chat: key, deadlineId, offset: offset as SentRecord["offset"] }));
const due = (deadlines: DeadlineWithScope[], sent: SentRecord[], instant: Date, subs = [group]) =>
  dueReminders(subs, deadlines, sent, instant).map((r) => [r.deadline.id, r.offsets]);

describe("reminder schedule", () => {
  it("fires at 09:00 Shanghai 14, 7, 3, 1 and 0 days before, each on a working day", () => {
    // 2024-09-06 is a Friday; none of its dates fall on a holiday.
    expect(reminderSlots("2024-09-06").map((s) => [s.day, s.offsets, s.fireAt.toISOString()])).toEqual([
      ["2024-08-23", [14], "2024-08-23T01:00:00.000Z"],
      ["2024-08-30", [7], "2024-08-30T01:00:00.000Z"],
      ["2024-09-03", [3], "2024-09-03T01:00:00.000Z"],
      ["2024-09-05", [1], "2024-09-05T01:00:00.000Z"],
      ["2024-09-06", [0], "2024-09-06T01:00:00.000Z"],
    ]);
  });

  it("moves a reminder off Mid-Autumn to the 调休 Saturday before it, and keeps a 调休 Sunday", () => {
    // 2024-09-20: 3 days before is 09-17 (中秋), 09-16 and 09-15 are holidays, 09-14 (Saturday) is a working day.
    expect(reminderSlots("2024-09-20").map((s) => s.day)).toContain("2024-09-14");
    // 2024-09-29 is a Sunday worked for National Day: the day-of reminder stays on it; 1 day before (Saturday) moves
    // to Friday 09-27.
    expect(reminderSlots("2024-09-29").map((s) => [s.day, s.offsets])).toEqual([
      ["2024-09-14", [14]],
      ["2024-09-20", [7]],
      ["2024-09-26", [3]],
      ["2024-09-27", [1]],
      ["2024-09-29", [0]],
    ]);
  });

  it("moves 14 days before 2024-10-20 out of the National Day week and merges the Sunday's offsets", () => {
    // 10-06 is in the 10-01..07 holiday: 09-30 (Monday). 10-13 is a Sunday: 10-12 (调休 Saturday). The day itself
    // (Sunday) and the day before (Saturday) both move to Friday 10-18: one message.
    expect(reminderSlots("2024-10-20").map((s) => [s.day, s.offsets])).toEqual([
      ["2024-09-30", [14]],
      ["2024-10-12", [7]],
      ["2024-10-17", [3]],
      ["2024-10-18", [1, 0]],
    ]);
  });
});

describe("due reminders", () => {
  const revision = byId("bazhong-digital-2024/individual-revision"); // 2024-10-20 18:00

  it("is nothing before the first slot, and the slot's reminder from 09:00 on", () => {
    expect(due([revision], [], at("2024-09-30", 8, 59))).toEqual([]);
    expect(due([revision], [], at("2024-09-30"))).toEqual([[revision.id, [14]]]);
    expect(due([revision], sentFor(revision.id, 14), at("2024-10-05"))).toEqual([]);
  });

  it("sends merged offsets as one message, and records both (nothing left after)", () => {
    expect(due([revision], sentFor(revision.id, 14, 7, 3), at("2024-10-18", 10))).toEqual([
      [revision.id, [1, 0]],
    ]);
    expect(due([revision], sentFor(revision.id, 14, 7, 3, 1, 0), at("2024-10-20", 12))).toEqual([]);
  });

  it("catches up after downtime with the latest missed offset only, while the deadline has not passed", () => {
    // Nothing ran from before the 14-day reminder until 10-17 10:00: only the 3-day one goes out.
    expect(due([revision], [], at("2024-10-17", 10))).toEqual([[revision.id, [3]]]);
    // Down through the day itself: still due until 18:00 that day, never after.
    expect(due([revision], sentFor(revision.id, 14), at("2024-10-20", 17, 59))).toEqual([
      [revision.id, [1, 0]],
    ]);
    expect(due([revision], sentFor(revision.id, 14), at("2024-10-20", 18))).toEqual([]);
    expect(due([revision], [], at("2024-11-01"))).toEqual([]);
  });

  it("counts a deadline printed 24:00 as passing at the end of its day", () => {
    const first = byId("bazhong-digital-2024/individual-first-submission"); // 2024-09-20 24:00
    expect(first.time).toBe("24:00");
    expect(due([first], sentFor(first.id, 14, 7, 3, 1), at("2024-09-20", 23, 59))).toEqual([[first.id, [0]]]);
    expect(due([first], sentFor(first.id, 14, 7, 3, 1), at("2024-09-21", 0, 0))).toEqual([]);
    // An untimed deadline passes at the end of its day too.
    const online = byId("bazhong-digital-2024/online-application");
    expect(online.time).toBeUndefined();
    expect(due([online], [], at("2024-09-20", 23, 59))).toEqual([[online.id, [0]]]);
    expect(due([online], [], at("2024-09-21", 0, 0))).toEqual([]);
  });

  it("reschedules a changed date without resending what was sent", () => {
    // The 7-day reminder went out for 10-20; the notice moves the date to 10-25 (Friday).
    const moved = { ...revision, date: "2024-10-25" };
    const sent = sentFor(revision.id, 14, 7);
    // 14 days before 10-25 (10-11) has fired, but a closer reminder was already had: nothing.
    expect(due([moved], sent, at("2024-10-14"))).toEqual([]);
    // 7 days before 10-25 is 10-18: already sent as "7", nothing. 3 days before (10-22): due.
    expect(due([moved], sent, at("2024-10-18", 10))).toEqual([]);
    expect(due([moved], sent, at("2024-10-22", 9))).toEqual([[revision.id, [3]]]);
    // Moved earlier instead (10-16): the 3-day slot (10-12 is a Saturday worked, 10-13 Sunday → 10-12) is due now.
    const earlier = { ...revision, date: "2024-10-16" };
    expect(due([earlier], sent, at("2024-10-14", 10))).toEqual([[revision.id, [3]]]);
  });

  it("follows each chat's subscriptions: region, level, and one message per deadline for overlapping ones", () => {
    const zj = byId("zhejiang-ai-senior-2024/individual-online"); // levels [senior]
    const prof = byId("zhejiang-professor-2023/individual-online"); // levels [professor]
    const chat = { channel: "dingtalk", kind: "direct", id: "u1" } as const;
    const senior: Subscription = { chat, region: "zhejiang", level: "senior" };
    const whole: Subscription = { chat, region: "zhejiang" };
    expect(dueReminders([senior], [zj, prof], [], at("2024-09-06")).map((r) => r.deadline.id)).toEqual([
      zj.id,
    ]);
    const both = dueReminders([senior, whole], [zj], [], at("2024-09-06"));
    expect(both).toHaveLength(1);
    expect(both[0]?.via).toHaveLength(2);
    expect(dueReminders([{ ...group, region: "beijing" }], [zj], [], at("2024-09-06"))).toEqual([]);
  });

  it("reads the real knowledge: on 2024-09-14 09:00 the Bazhong chat has its Mid-Autumn-shifted reminders", () => {
    const list = due(all(), [], at("2024-09-14"));
    expect(list).toContainEqual(["bazhong-digital-2024/online-application", [3]]);
    expect(list).toContainEqual(["bazhong-digital-2024/city-hr-bureau", [14]]);
    expect(list.every(([id]) => String(id).startsWith("bazhong-digital-2024/"))).toBe(true);
  });

  it("knows when the next slot fires", () => {
    expect(nextFireAt([revision], at("2024-10-12", 9))?.toISOString()).toBe(at("2024-10-17").toISOString());
    expect(nextFireAt([revision], at("2024-10-18", 9))).toBeUndefined();
  });

  it("words the message: what, whose step, the date as printed, the clause, how to unsubscribe", () => {
    const [r] = dueReminders([group], [revision], [], at("2024-10-18", 10));
    if (!r) throw new Error("nothing due");
    // Sent on Friday 10-18 for Sunday 10-20 (the day-of and day-before reminders moved there).
    const text = reminderReply(r, at("2024-10-18", 10)).text;
    expect(text).toContain("【截止提醒】四川巴中：还有2天截止");
    expect(reminderReply(r, at("2024-10-20", 10)).text).toContain("今天截止");
    expect(reminderReply(r, at("2024-10-19", 10)).text).toContain("明天截止");
    expect(text).toContain("个人修改提交截止");
    expect(text).toContain("办理方：申报人");
    expect(text).toContain("2024年10月20日18:00");
    expect(text).toContain("四、(二)5.");
    expect(text).toContain("/unsubscribe 四川巴中");
  });
});
