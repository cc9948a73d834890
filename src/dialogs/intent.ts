// What a message asks for: a command (/check …) or the same intents said in free Chinese text.
import { LEXICON, asksQuestion } from "./dialog-lexicon.ts";

export type Intent =
  | { kind: "forget" }
  | { kind: "reset" }
  | { kind: "help"; welcome: boolean }
  | { kind: "details" }
  | { kind: "deadlines"; args: string }
  | { kind: "clause"; query: string }
  | { kind: "ask"; question: string }
  | { kind: "check"; args: string }
  | { kind: "subscribe" }
  | { kind: "unknown-command"; name: string };

const COMMANDS: Record<string, (args: string) => Intent> = {
  start: () => ({ kind: "help", welcome: true }),
  help: () => ({ kind: "help", welcome: false }),
  reset: () => ({ kind: "reset" }),
  forget: () => ({ kind: "forget" }),
  check: (args) => ({ kind: "check", args }),
  ask: (question) => ({ kind: "ask", question }),
  clause: (query) => ({ kind: "clause", query }),
  deadlines: (args) => ({ kind: "deadlines", args }),
  details: () => ({ kind: "details" }),
  subscribe: () => ({ kind: "subscribe" }),
  unsubscribe: () => ({ kind: "subscribe" }),
  subscriptions: () => ({ kind: "subscribe" }),
};

/**
 * The intent a (normalised) message states outright: a slash command or an unmistakable phrase.
 * Undefined for everything else, which the form and the policy Q&A read.
 */
export function detectIntent(text: string): Intent | undefined {
  const command = /^\/([a-z]+)(?:@\S+)?\s*([\s\S]*)$/.exec(text);
  if (command) {
    const name = command[1] ?? "";
    const make = COMMANDS[name];
    return make ? make((command[2] ?? "").trim()) : { kind: "unknown-command", name };
  }
  if (/删除我的|删掉我的|忘记我|忘掉我|清除我的|删除(?:全部|所有)?(?:数据|信息|记录)|^forget$/.test(text))
    return { kind: "forget" };
  if (/^(?:重新开始|重来|从头开始|重新评估|清空|reset|再来一次)[。!！]?$/.test(text))
    return { kind: "reset" };
  if (/^(?:你好|您好|hi|hello|哈喽|嗨|开始|start)[。!！]?$/.test(text))
    return { kind: "help", welcome: true };
  if (/^(?:帮助|help|菜单|使用说明|怎么用|你能做什么|你会什么|功能)[?？。!！]?$/.test(text))
    return { kind: "help", welcome: false };
  if (/^(?:详细|详情|详细说明|展开|全部|具体|看详细|查看详细)[。!！]?$/.test(text))
    return { kind: "details" };
  // "订阅巴中工程师的截止提醒" is a command about reminders, not facts about the sender.
  if (LEXICON.subscribe.test(text)) return { kind: "subscribe" };
  const clause = /^(?:查条款|查一下条款|条款|原文|查原文)[:：\s]*(.+)$/.exec(text);
  if (clause) return { kind: "clause", query: (clause[1] ?? "").trim() };
  if (
    /截止|截至|时间节点|时间安排|日程|deadline|什么时候(?:报|交|申报|开始|截)|几号(?:前|之前)?(?:报|交)|报名时间|申报时间/.test(
      text,
    )
  )
    return { kind: "deadlines", args: text };
  return undefined;
}

/** The user wants to know whether they can apply ("我能评吗", "想评职称", "帮我看看够不够条件"). */
export function wantsEligibility(text: string): boolean {
  return LEXICON.eligibility.test(text);
}

/** The message asks something (a question word or mark), as opposed to stating something. */
export function asksSomething(text: string): boolean {
  return asksQuestion(text);
}

/** A statement about the sender's own case ("我们做的项目业绩条件是够的"): never a policy question. */
export function isStatement(text: string): boolean {
  return !asksSomething(text) && LEXICON.statement.test(text);
}

/** The message reads as a question (for the policy Q&A). */
export function looksLikeQuestion(text: string): boolean {
  return /[?？]|吗|么|多少|几|什么|怎么|如何|哪些|哪里|哪个|是否|能否|要不要|需不需要|需要|条件|要求|规定|流程|材料|公示|答辩|评审|论文|业绩|继续教育|破格|社保/.test(
    text,
  );
}
