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
  const words = LEXICON.intents;
  if (words.forget.test(text)) return { kind: "forget" };
  if (words.reset.test(text)) return { kind: "reset" };
  if (words.welcome.test(text)) return { kind: "help", welcome: true };
  if (words.help.test(text)) return { kind: "help", welcome: false };
  if (words.details.test(text)) return { kind: "details" };
  // "订阅巴中工程师的截止提醒" is a command about reminders, not facts about the sender.
  if (LEXICON.subscribe.test(text)) return { kind: "subscribe" };
  const clause = words.clause.exec(text);
  if (clause) return { kind: "clause", query: (clause[1] ?? "").trim() };
  if (words.deadlines.test(text)) return { kind: "deadlines", args: text };
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

/** The message reads as a question or a look-up (for the policy Q&A). */
export function looksLikeQuestion(text: string): boolean {
  return LEXICON.lookup.test(text);
}

/** The message asks a policy question ("需要什么条件", "公示几天"), even when it names a level or region. */
export function asksPolicy(text: string): boolean {
  return asksQuestion(text) && LEXICON.policyQuestion.test(text);
}
