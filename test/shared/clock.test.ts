// "Today" is the Asia/Shanghai calendar day, also across midnight and in any order of instants.
import { describe, expect, it } from "vitest";
import { fixedClock, todayInShanghai } from "../../src/shared/clock.ts";

describe("todayInShanghai", () => {
  it("turns at Shanghai midnight (16:00 UTC), whatever was asked before", () => {
    expect(todayInShanghai(fixedClock("2024-12-31T15:59:59.999Z"))).toBe("2024-12-31");
    expect(todayInShanghai(fixedClock("2024-12-31T16:00:00.000Z"))).toBe("2025-01-01");
    expect(todayInShanghai(fixedClock("2024-12-31T15:59:59.999Z"))).toBe("2024-12-31");
    expect(todayInShanghai(fixedClock("2024-02-28T16:00:00Z"))).toBe("2024-02-29");
    expect(todayInShanghai(fixedClock("2024-02-29T15:00:00Z"))).toBe("2024-02-29");
    expect(todayInShanghai(fixedClock("2030-06-30T23:00:00Z"))).toBe("2030-07-01");
  });
});
