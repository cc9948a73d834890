// A clock the test moves by hand.
import type { Clock } from "../../../src/shared/clock.ts";

/** A clock that stands still until `advance` is called. */
export class ManualClock implements Clock {
  #ms: number;

  constructor(start = "2025-01-01T00:00:00Z") {
    this.#ms = Date.parse(start);
  }

  now(): Date {
    return new Date(this.#ms);
  }

  advance(ms: number): void {
    this.#ms += ms;
  }
}
