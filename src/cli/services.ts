// The streams a command writes to; the services it runs on live in src/app/services.ts.
import type { Writable } from "node:stream";

export interface Io {
  stdout: Writable;
  stderr: Writable;
}
