// WeCom app message → the entry the channel answers (1:1 messages only; another app's message is ignored).
// https://developer.work.weixin.qq.com/document/path/90239
import { decodeWeixin } from "../weixin/decode.ts";
import type { Decoded } from "../weixin/types.ts";

export const CHANNEL = "wecom";

/** Adding the app to one's workbench (subscribe) is answered with the welcome text; entering it is not. */
const WELCOME_EVENTS = new Set(["subscribe"]);

export function decodeWeCom(fields: Record<string, string>, agentId: number): Decoded {
  if (fields.AgentID !== undefined && Number(fields.AgentID) !== agentId) return { kind: "ignore" };
  return decodeWeixin(CHANNEL, fields, WELCOME_EVENTS);
}
