// Shapes shared by the WeChat Official Account and WeCom adapters.
import type { InboundMessage } from "../../shared/chat.ts";

export type { WebhookAnswer } from "../channel-webhook.ts";

/** What an inbox entry of either channel holds: the message for the turn, or a fixed hint to send instead. */
export interface WeixinEntry {
  msg: InboundMessage;
  /** The platform's user id (openid / WeCom userid) the answer goes to. */
  to: string;
  /** A non-text message: this text is sent and no turn runs. */
  hint?: string;
}

/** A decoded callback: a message for the turn, a hint to answer with, or nothing to answer. */
export type Decoded =
  { kind: "text"; entry: WeixinEntry } | { kind: "hint"; entry: WeixinEntry } | { kind: "ignore" };
