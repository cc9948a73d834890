// The seam every chat channel implements: lifecycle, state, proactive sends, and what it is given to work with.
import type { DeliveryLog } from "../app/delivery-log.ts";
import type { DurableInbox } from "../app/durable-inbox.ts";
import type { ChoiceMemory } from "../app/choice-memory.ts";
import type { ChatTurnFn } from "../app/group-policy.ts";
import type { LeaseLock } from "../app/lease-lock.ts";
import type { Conversation, Reply } from "../shared/chat.ts";
import type { Clock } from "../shared/clock.ts";

export type { ChatTurnFn };

/** Log lines of the channels (a pino logger fits). Never message text, profile values or tokens. */
export interface ChannelLogger {
  info(line: string): void;
  warn(line: string): void;
  error(line: string): void;
}

/** Where a channel stands, for `/healthz`: `down` carries the reason (the platform's or the network's words). */
export interface ChannelStatus {
  name: string;
  state: "starting" | "up" | "down";
  reason?: string;
  /** What "up" means right now, e.g. "long polling", "standby (another replica polls)", "webhook". */
  detail?: string;
  /** ISO time of the last change. */
  since: string;
}

/** The recipient of a proactive message (a reminder): a user's 1:1 chat or a group. */
export type SendTarget = { kind: "direct"; userId: string } | { kind: "group"; groupId: string };

/** One chat platform. Adapters are thin: verify, decode, run the turn, encode, send; no policy. */
export interface ChannelAdapter {
  readonly name: string;
  /**
   * How long a turn may take before the platform must have been answered; a turn running past it still
   * delivers its replies, the slow way (e.g. a Telegram webhook is answered, the replies are sent after).
   */
  readonly timeBudgetMs: number;
  status(): ChannelStatus;
  /** Connects; resolves once the channel runs, rejects with the reason it cannot. */
  start(): Promise<void>;
  /** Disconnects and waits for the messages in hand. */
  stop(): Promise<void>;
  /** Sends `replies` unprompted (reminders). Retries transient failures; rejects when the platform refuses. */
  send(target: SendTarget, replies: Reply[]): Promise<void>;
}

/** What the composition root hands every adapter. */
export interface ChannelDeps {
  /** The chat turn, group rules included (`withGroupPolicy(chatTurn)`). */
  turn: ChatTurnFn;
  log: ChannelLogger;
  /** Real time (platform timestamps, expiry); the dialog's own clock stays with the turn. */
  clock: Clock;
  lock: LeaseLock;
  deliveries: DeliveryLog;
  inbox: (name: string) => DurableInbox;
  /** Quick replies last offered per user, for channels without buttons (WeChat, WeCom); in-memory when unset. */
  choices?: ChoiceMemory;
}

/**
 * The session a message belongs to: the user in a 1:1 chat; the group and the sender in a group, so two
 * colleagues in one group never share a profile. Injective: ids are URI-encoded around the separators.
 */
export function sessionUser(conversation: Conversation): string {
  const enc = encodeURIComponent;
  return conversation.kind === "direct"
    ? `u:${enc(conversation.userId)}`
    : `g:${enc(conversation.groupId)}:${enc(conversation.userId)}`;
}

/** Holds a channel's status and logs each change once. */
export class ChannelHealth {
  #status: ChannelStatus;

  constructor(
    readonly name: string,
    private readonly clock: Clock,
  ) {
    this.#status = { name, state: "starting", since: clock.now().toISOString() };
  }

  get(): ChannelStatus {
    return { ...this.#status };
  }

  set(state: ChannelStatus["state"], extra: { reason?: string; detail?: string } = {}): boolean {
    const s = this.#status;
    if (s.state === state && s.reason === extra.reason && s.detail === extra.detail) return false;
    this.#status = { name: this.name, state, ...extra, since: this.clock.now().toISOString() };
    return true;
  }
}
