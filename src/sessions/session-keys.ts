// The Redis key layout: one prefix per deployment, one hash-tagged slot per user.
import { createHash } from "node:crypto";
import { MAX_MESSAGE_ID_LENGTH } from "./session-store.ts";

/**
 * Keys, for prefix `zc:` and user key `K` (the app layer's keyed hash of the user id, never the id itself):
 * - `zc:{u:K}:state`   — the conversation, JSON `{ v, state }`, expires `ttlSeconds` after the last write;
 * - `zc:{u:K}:lock`    — the turn lock, a random token, expires after the lease (renewed while the turn runs);
 * - `zc:{u:K}:rate`    — messages counted in the current one-minute window;
 * - `zc:{u:K}:msg:<id>` — one message's record: `p:<token>` while its turn is in progress (expires after the
 *   lease, renewed with the lock), then `d:<result JSON>` once delivered (expires after the dedupe TTL);
 * - `zc:{u:K}:msgs`    — sorted set of the user's delivered message ids (score: the record's expiry in ms), so
 *   that forget can find and delete the records, whose results can hold profile values.
 * The `{u:K}` hash tag keeps every key a script touches in one Redis Cluster slot.
 * Outside any user: `zc:user-id-secret` — the random secret user ids are keyed with when none is configured.
 */
export interface UserKeys {
  state: string;
  lock: string;
  rate: string;
  /** The index of delivered message ids. */
  messages: string;
  /** What a message record's key starts with; the message's id part follows. */
  messagePrefix: string;
}

/** The per-user keys under `prefix`. */
export function userKeys(prefix: string, userKey: string): UserKeys {
  const base = `${prefix}{u:${escapeBraces(userKey)}}`;
  return {
    state: `${base}:state`,
    lock: `${base}:lock`,
    rate: `${base}:rate`,
    messages: `${base}:msgs`,
    messagePrefix: `${base}:msg:`,
  };
}

/**
 * How a message id appears in its record's key and in the index: as is up to {@link MAX_MESSAGE_ID_LENGTH}
 * characters, longer ones as `sha256:<hex>` (a client cannot make a key or the index grow without bound).
 */
export function messageIdPart(messageId: string): string {
  return messageId.length <= MAX_MESSAGE_ID_LENGTH
    ? messageId
    : `sha256:${createHash("sha256").update(messageId).digest("hex")}`;
}

/** The record of one message of the user. */
export function messageRecordKey(keys: UserKeys, messageId: string): string {
  return `${keys.messagePrefix}${messageIdPart(messageId)}`;
}

/** The key of the shared random secret for user ids. */
export function userIdSecretKey(prefix: string): string {
  return `${prefix}user-id-secret`;
}

// A `}` in a user key would end the hash tag early and split the user's keys across slots.
function escapeBraces(id: string): string {
  return id.replace(/[%{}]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
