// A Lua script run by its SHA (EVALSHA), loaded on the server's first NOSCRIPT answer.
import { createHash } from "node:crypto";
import type { Redis } from "ioredis";

/** One server-side script; keys and arguments are passed per call. */
export class LuaScript {
  readonly #source: string;
  readonly #sha: string;

  constructor(source: string) {
    this.#source = source;
    this.#sha = createHash("sha1").update(source).digest("hex");
  }

  async run(redis: Redis, keys: readonly string[], args: readonly (string | number)[]): Promise<unknown> {
    try {
      return await redis.evalsha(this.#sha, keys.length, ...keys, ...args);
    } catch (error) {
      // A restarted or flushed server has forgotten its scripts; EVAL loads this one again.
      if (error instanceof Error && error.message.startsWith("NOSCRIPT")) {
        return redis.eval(this.#source, keys.length, ...keys, ...args);
      }
      throw error;
    }
  }
}
