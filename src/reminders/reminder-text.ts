// The words of one reminder message, from a due reminder (what, whose step, the date as printed, clause, unsubscribe).
import { REMINDER_TEXT } from "../i18n/reminder-messages.ts";
import { LEVEL_NAMES, REGION_NAMES } from "../shared/domain.ts";
import type { Reply } from "../shared/chat.ts";
import { todayInShanghai } from "../shared/clock.ts";
import type { DueReminder, Subscription } from "./due-reminders.ts";

/** Clause words beyond this many characters are cut (the reminder names the clause; the notice has the rest). */
const CLAUSE_CHARS = 160;

/** "浙江 高级工程师" / "浙江": a subscription as the user names it. */
export function subscriptionScope(sub: Pick<Subscription, "region" | "level">): string {
  const region = REGION_NAMES[sub.region] ?? sub.region;
  return sub.level ? `${region} ${LEVEL_NAMES[sub.level]}` : region;
}

const DAY_MS = 86_400_000;

/** The message of a due reminder sent at `at` (it counts the days left from that day), citing its clause. */
export function reminderReply(due: DueReminder, at: Date): Reply {
  const d = due.deadline;
  const via = due.via[0];
  const scope = via ? subscriptionScope(via) : (REGION_NAMES[d.region] ?? d.region);
  const c = d.citation;
  const source = `${c.docNumber ?? c.title} ${c.path}`;
  const clause = c.text.length > CLAUSE_CHARS ? `${c.text.slice(0, CLAUSE_CHARS)}…` : c.text;
  return {
    text: REMINDER_TEXT.reminder({
      daysLeft: Math.round((Date.parse(d.date) - Date.parse(todayInShanghai({ now: () => at }))) / DAY_MS),
      scope,
      what: d.what,
      who: d.who,
      date: d.date,
      time: d.time,
      source,
      clause,
      unsubscribe: `/unsubscribe ${scope}`,
    }),
    citations: [c],
  };
}
