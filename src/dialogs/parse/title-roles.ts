// The role of every title mention in a message (applied for or held), read across its clauses.
import type { ProfileField } from "../../shared/profile.ts";
import { LEXICON } from "../dialog-lexicon.ts";
import type { DraftProfile } from "../types.ts";
import { dateFieldOf } from "./date-field.ts";
import { titleRole } from "./target-level.ts";
import { findTitleMentions } from "./title-level.ts";
import { parseYearMonth } from "./year-month.ts";

/** Keys of the map: `<clause index>:<mention index>`. */
/** Whether a title mention is the level applied for or the title held. */
export type Role = "target" | "current";

/**
 * The role of every title mention in the message. Words around a mention decide first; a mention
 * they leave open is the title held when another mention in the message is the one applied for
 * ("温州，工程师，想冲副高") or the message speaks of an obtained title (a date, 取得, 系列), else
 * the pending question or what is already known decides.
 */
export function titleRoles(
  clauses: string[],
  text: string,
  ctx: { today: string; pending?: ProfileField | undefined; profile: DraftProfile },
): Map<string, Role> {
  const roles = new Map<string, Role>();
  const open: string[] = [];
  let explicitTarget = false;
  clauses.forEach((clause, i) => {
    if (LEXICON.negated.test(clause)) return;
    for (const m of findTitleMentions(clause)) {
      const key = `${i}:${m.index}`;
      const role = titleRole(clause, m);
      if (role) roles.set(key, role);
      else open.push(key);
      if (role === "target") explicitTarget = true;
    }
  });
  // A bare date ("初级职称，2021年7月") is the title's: other dates name their event.
  const bareDate = clauses.some(
    (c) => parseYearMonth(c, ctx.today) !== undefined && dateFieldOf(c, false, undefined) === undefined,
  );
  const obtained = bareDate || /取得|拿到|拿的|评上|评的|评了|系列|本专业|同专业|非本|现在|目前/.test(text);
  for (const key of open) {
    let role: Role;
    if (ctx.pending === "targetLevel") role = "target";
    else if (ctx.pending === "currentTitle") role = "current";
    else if (explicitTarget || (obtained && !ctx.profile.currentTitle)) role = "current";
    else role = ctx.profile.targetLevel ? "current" : "target";
    roles.set(key, role);
  }
  return roles;
}
