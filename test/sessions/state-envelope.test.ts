// The stored `{ v, state }` envelope: round trip, migration and unreadable data.
import { describe, expect, it } from "vitest";
import { SessionStateError } from "../../src/sessions/session-store.ts";
import { decodeState, encodeState } from "../../src/sessions/state-envelope.ts";

const noMigration = () => {
  throw new Error("migrate must not be called");
};

describe("state envelope", () => {
  it("round-trips a state of the current version without migrating", () => {
    expect(decodeState(encodeState(4, { a: [1, "二"] }), 4, noMigration)).toEqual({ a: [1, "二"] });
    expect(decodeState(null, 4, noMigration)).toBeUndefined();
  });

  it("hands an older state and its version to migrate", () => {
    const migrated = decodeState(encodeState(2, { old: true }), 4, (v, old) => ({ from: v, old }));
    expect(migrated).toEqual({ from: 2, old: { old: true } });
  });

  it.each([
    ["not json"],
    ['{"state":{}}'],
    ['{"v":"1","state":{}}'],
    ['{"v":1.5}'],
    ["null"],
    [encodeState(5, {})],
  ])("refuses %s with SessionStateError", (stored) => {
    expect(() => decodeState(stored, 4, noMigration)).toThrow(SessionStateError);
  });
});
