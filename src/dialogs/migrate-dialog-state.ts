// Upgrades a stored dialog state of an older version, so a deploy does not break live conversations.
import { DIALOG_STATE_VERSION, initialDialogState, type DialogState } from "./types.ts";

/**
 * The state in the current shape. `version` is the stored one; an unknown or future version, or
 * a state that does not look like one, starts a fresh conversation rather than guessing.
 */
export function migrateDialogState(version: number, old: unknown): DialogState {
  if (version === DIALOG_STATE_VERSION && isDialogState(old)) return old;
  return initialDialogState();
}

function isDialogState(x: unknown): x is DialogState {
  if (typeof x !== "object" || x === null) return false;
  const s = x as Record<string, unknown>;
  return (
    s.version === DIALOG_STATE_VERSION &&
    typeof s.step === "object" &&
    s.step !== null &&
    typeof s.profile === "object" &&
    s.profile !== null &&
    Array.isArray(s.unknown) &&
    Array.isArray(s.lastRecorded)
  );
}
