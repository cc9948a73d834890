// Users are stored under a keyed hash of their id, never the id itself (contract: "Access").
import { createHmac } from "node:crypto";

/** Maps a channel's user to the opaque key the session store files them under. */
export type UserKeyer = (channel: string, user: string) => Promise<string>;

/**
 * HMAC-SHA256 of the channel and the user id under `secret`, base64url: stable across processes sharing the
 * secret, and without the secret it reveals nothing, not even to a dictionary of likely ids.
 */
export function userKey(secret: string, channel: string, user: string): string {
  // JSON keeps the two fields apart: ("a:b", "c") and ("a", "b:c") are different users.
  return createHmac("sha256", secret)
    .update(JSON.stringify([channel, user]))
    .digest("base64url");
}

/**
 * A keyer over a configured secret (`USER_ID_SECRET`) or, when unset, one obtained once from `sharedSecret` (the
 * session store's shared random secret). A failed fetch (store down) is not cached: the next message asks again.
 */
export function createUserKeyer(secret: string | (() => Promise<string>)): UserKeyer {
  if (typeof secret === "string") return (channel, user) => Promise.resolve(userKey(secret, channel, user));
  let pending: Promise<string> | undefined;
  let known: string | undefined;
  return async (channel, user) => {
    if (known === undefined) {
      pending ??= secret().finally(() => (pending = undefined));
      known = await pending;
    }
    return userKey(known, channel, user);
  };
}
