// The channel-neutral message shapes: what every adapter decodes into and encodes from.
import type { Citation } from "./domain.ts";

/** One message from a user on some channel, already decoded by its adapter. */
export interface InboundMessage {
  channel: string;
  user: string;
  text: string;
  /** The platform's id, for redelivery dedupe. */
  messageId?: string;
  isGroup?: boolean;
}

/** One message back to the user. `choices` are quick replies where the channel supports them. */
export interface Reply {
  text: string;
  citations?: Citation[];
  choices?: string[];
}
