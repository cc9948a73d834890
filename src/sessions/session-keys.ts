// The Redis key layout: one prefix per deployment, one hash-tagged slot per user.

/**
 * Keys, for prefix `zc:` and user `tg:42`:
 * - `zc:{u:tg:42}:state` — the conversation, JSON `{ v, state }`, expires `ttlSeconds` after the last write;
 * - `zc:{u:tg:42}:lock`  — the turn lock, a random token, expires after the lease (renewed while the turn runs);
 * - `zc:{u:tg:42}:rate`  — messages counted in the current one-minute window;
 * - `zc:msg:<messageKey>` — a delivery marker for dedupe, no user data, expires after its TTL.
 * The `{u:…}` hash tag keeps a user's keys in one Redis Cluster slot. The admission script also touches the
 * message marker, which has no user in its name and so no hash tag: the store expects one Redis server (or
 * primary), not a Cluster.
 * `forget` deletes the three per-user keys.
 */
export interface UserKeys {
  state: string;
  lock: string;
  rate: string;
}

/** The per-user keys under `prefix`. */
export function userKeys(prefix: string, userId: string): UserKeys {
  const base = `${prefix}{u:${escapeBraces(userId)}}`;
  return { state: `${base}:state`, lock: `${base}:lock`, rate: `${base}:rate` };
}

/** The dedupe marker of one inbound message. */
export function messageKey(prefix: string, key: string): string {
  return `${prefix}msg:${key}`;
}

// A `}` in a user id would end the hash tag early and split the user's keys across slots.
function escapeBraces(id: string): string {
  return id.replace(/[%{}]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
}
