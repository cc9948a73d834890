// The streams a command writes to; the services it runs on live in src/app/services.ts.
import type { Writable } from "node:stream";

/**
 * Kept for callers not yet moved to src/app/services.ts (test/system imports the type from here); new code
 * imports it from src/app.
 */
export type { DeadlineFilter, Services } from "../app/services.ts";

export interface Io {
  stdout: Writable;
  stderr: Writable;
}
