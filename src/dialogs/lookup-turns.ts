// Turns that look something up (a policy answer, deadlines) and resume the form, and the form's pending question.
import { ZH } from "../i18n/zh-CN.ts";
import type { Reply } from "../shared/chat.ts";
import { LEVEL_NAMES } from "../shared/domain.ts";
import type { ProfileField } from "../shared/profile.ts";
import { loadRegions, regionLabel, type RegionCatalogue } from "../shared/regions.ts";
import type { TurnOutcome } from "./advance-form.ts";
import { answerReply, deadlinesReply } from "./lookup-replies.ts";
import { parseRegion } from "./parse/region.ts";
import { findTitleMentions } from "./parse/title-level.ts";
import { clarificationQuestion, questionFor } from "./question-for.ts";
import type { DialogDeps, DialogState } from "./types.ts";

const DEADLINES_SHOWN = 5;

/** The field the conversation is waiting on, if any. */
export function pendingField(state: DialogState): ProfileField | undefined {
  if (state.step.name === "asking") return state.step.field;
  if (state.step.name === "clarifying") return state.step.resume;
  return undefined;
}

/** The question to repeat after an interruption, if the form is waiting on one. */
export function pendingQuestion(state: DialogState, regions: RegionCatalogue): Reply | undefined {
  if (state.step.name === "clarifying") return clarificationQuestion(state.step.clarification, regions);
  if (state.step.name === "asking") return questionFor(state.step.field, state.profile, regions);
  return undefined;
}

/** Replies of a look-up, then the pending question again so the form resumes. */
export function withResume(state: DialogState, replies: Reply[], regions: RegionCatalogue): TurnOutcome {
  const q = pendingQuestion(state, regions);
  return { state, replies: q ? [...replies, { ...q, text: `${ZH.resumeForm}${q.text}` }] : replies };
}

/** The regions this conversation reads place names with. */
export function regionsOf(deps: DialogDeps): RegionCatalogue {
  return deps.regions ?? loadRegions();
}

/**
 * "公示几天？" or "业绩条件是什么" asked in a conversation about Beijing and 高级工程师 means Beijing's and
 * that level's: a question that names no place (or no level) is asked about the ones already recorded,
 * so retrieval prefers that region's notices and that level's clauses.
 */
function inConversationScope(state: DialogState, question: string, regions: RegionCatalogue): string {
  const { region, targetLevel } = state.profile;
  const scope = [
    region && !parseRegion(question, regions) ? regionLabel(region, regions) : undefined,
    targetLevel && !findTitleMentions(question).some((m) => m.level !== "none")
      ? LEVEL_NAMES[targetLevel]
      : undefined,
  ].filter(Boolean);
  return scope.length > 0 ? `${scope.join(" ")} ${question}` : question;
}

export async function ask(
  state: DialogState,
  question: string,
  deps: DialogDeps,
  lead: string[] = [],
): Promise<TurnOutcome> {
  const regions = regionsOf(deps);
  if (!question) return { state, replies: [{ text: ZH.askPrompt }] };
  let reply: Reply;
  try {
    reply = answerReply(await deps.ask(inConversationScope(state, question, regions)));
  } catch {
    // The Q&A failing must not lose the form; the user can ask again.
    reply = { text: ZH.askFailed };
  }
  const replies = lead.length > 0 ? [{ text: lead.join("\n") }, reply] : [reply];
  return withResume(state, replies, regions);
}

export function deadlines(state: DialogState, args: string, deps: DialogDeps, today: string): TurnOutcome {
  const regions = regionsOf(deps);
  const region = parseRegion(args, regions);
  const mention = findTitleMentions(args).find((m) => m.level !== "none");
  const r = region?.kind === "region" ? region.value : args ? undefined : state.profile.region;
  const level =
    mention && mention.level !== "none"
      ? mention.level
      : args && region
        ? undefined
        : state.profile.targetLevel;
  const scope = { ...(r ? { region: r } : {}), ...(level ? { level } : {}) };
  const found = deps.deadlines({ ...scope, after: today });
  // Nothing ahead: name the last step there was, so "none" is not mistaken for "not yet announced".
  const lastPast = found.length === 0 ? deps.deadlines(scope).at(-1) : undefined;
  return withResume(
    state,
    [deadlinesReply(found.slice(0, DEADLINES_SHOWN), r, level, regions, lastPast)],
    regions,
  );
}
