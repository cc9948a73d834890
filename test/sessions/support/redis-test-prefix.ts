// Unique key prefixes per test file, and their cleanup (never FLUSHALL: the server may be shared).
import { randomUUID } from "node:crypto";
import type { Redis } from "ioredis";

/** The Redis every session test uses (CI starts one on the default port). */
export const TEST_REDIS_URL = "redis://127.0.0.1:6379";

/** A prefix no other test run shares. */
export function uniquePrefix(label: string): string {
  return `zc-test:${label}:${randomUUID().slice(0, 8)}:`;
}

/** Every key under `prefix`. */
export async function keysUnder(redis: Redis, prefix: string): Promise<string[]> {
  const found: string[] = [];
  let cursor = "0";
  do {
    const [next, keys] = await redis.scan(cursor, "MATCH", `${escapeGlob(prefix)}*`, "COUNT", 1000);
    found.push(...keys);
    cursor = next;
  } while (cursor !== "0");
  return found;
}

/** Deletes every key under `prefix`. */
export async function deleteKeysUnder(redis: Redis, prefix: string): Promise<void> {
  const keys = await keysUnder(redis, prefix);
  for (let i = 0; i < keys.length; i += 500) await redis.del(...keys.slice(i, i + 500));
}

function escapeGlob(text: string): string {
  return text.replace(/[*?[\]\\]/g, (c) => `\\${c}`);
}
