// The stored form of a conversation, `{ v, state }`, and its upgrade on load.
import type { MigrateState } from "./session-store.ts";
import { SessionStateError } from "./session-store.ts";

/** Serialises state under the current version. */
export function encodeState<S>(version: number, state: S): string {
  return JSON.stringify({ v: version, state });
}

/**
 * Reads a stored envelope and migrates it to `version`. A state from a newer deploy is refused rather than
 * guessed at (an old replica during a rolling deploy must not overwrite it with an older shape).
 */
export function decodeState<S>(
  stored: string | null | undefined,
  version: number,
  migrate: MigrateState<S>,
): S | undefined {
  if (stored === null || stored === undefined) return undefined;
  let envelope: unknown;
  try {
    envelope = JSON.parse(stored);
  } catch (cause) {
    throw new SessionStateError("stored session is not JSON", { cause });
  }
  if (
    typeof envelope !== "object" ||
    envelope === null ||
    !("v" in envelope) ||
    typeof envelope.v !== "number" ||
    !Number.isInteger(envelope.v)
  ) {
    throw new SessionStateError("stored session has no integer version");
  }
  const stateValue = "state" in envelope ? envelope.state : undefined;
  if (envelope.v === version) return stateValue as S; // written by this very version: its shape is ours
  if (envelope.v > version) {
    throw new SessionStateError(
      `stored session version ${envelope.v} is newer than this deploy (${version})`,
    );
  }
  return migrate(envelope.v, stateValue);
}
