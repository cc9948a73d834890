// Reads a subscription command: /subscribe <地区> [<级别>], /unsubscribe [<地区> [<级别>]], /subscriptions, or the
// same in plain Chinese ("订阅巴中工程师的截止提醒", "取消订阅", "我的订阅").
import { parseRegion } from "../dialogs/parse/region.ts";
import { LEVELS, type Level, type Region } from "../shared/domain.ts";

export type SubscriptionCommand =
  | { kind: "subscribe"; region?: Region; level?: Level; unknownPlace?: string }
  | { kind: "unsubscribe"; region?: Region; level?: Level; unknownPlace?: string }
  | { kind: "list" };

/** Level names people use, most specific first (正高级工程师 before 高级工程师 before 工程师). */
const LEVEL_WORDS: Array<[RegExp, Level]> = [
  [/正高级工程师|正高级|正高|教授级/, "professor"],
  [/高级工程师|副高|高工|高级/, "senior"],
  [/助理工程师|助工|初级/, "assistant"],
  [/工程师|中级/, "engineer"],
  [/技术员|员级/, "technician"],
];

function parseLevel(text: string): Level | undefined {
  const id = LEVELS.find((l) => new RegExp(`\\b${l}\\b`, "i").test(text));
  if (id) return id;
  return LEVEL_WORDS.find(([re]) => re.test(text))?.[1];
}

function scope(args: string): { region?: Region; level?: Level; unknownPlace?: string } {
  const place = parseRegion(args);
  const level = parseLevel(args);
  const out: { region?: Region; level?: Level; unknownPlace?: string } = {};
  if (place?.kind === "region") out.region = place.value;
  else if (place?.kind === "unsupported") out.unknownPlace = place.place;
  else if (place?.kind === "province") out.unknownPlace = place.province;
  if (level) out.level = level;
  return out;
}

const UNSUBSCRIBE_WORDS = /退订|取消订阅|不要再?提醒|别再?提醒|停止提醒/;
const LIST_WORDS = /我的订阅|查看订阅|订阅列表|订阅了哪些|订阅了什么/;
const SUBSCRIBE_WORDS = /订阅|截止提醒|提醒我|通知我/;

/**
 * The subscription command a (normalised) message gives, or undefined. "提醒我" alone is not one: it needs a
 * region or the word 订阅 or 截止 (so "到时提醒我" after a verdict is left to the dialog).
 */
export function parseSubscriptionCommand(text: string): SubscriptionCommand | undefined {
  const slash = /^\/(subscribe|unsubscribe|subscriptions)(?:@\S+)?\s*([\s\S]*)$/.exec(text.trim());
  if (slash) {
    const args = (slash[2] ?? "").trim();
    if (slash[1] === "subscriptions") return { kind: "list" };
    return { kind: slash[1] === "subscribe" ? "subscribe" : "unsubscribe", ...scope(args) };
  }
  if (UNSUBSCRIBE_WORDS.test(text)) return { kind: "unsubscribe", ...scope(text) };
  if (LIST_WORDS.test(text)) return { kind: "list" };
  if (SUBSCRIBE_WORDS.test(text) && /订阅|截止/.test(text)) return { kind: "subscribe", ...scope(text) };
  return undefined;
}
