// Child process: a server of chat messages for the fault suite. Reads one JSON message `{user, id}` per line on
// stdin, runs it through the Redis session store with a turn that appends the message id to the user's state,
// and prints one JSON line per message: `{user, id, status, replies?}` (status "busy" for a store failure).
import { createInterface } from "node:readline";
import { setTimeout as sleep } from "node:timers/promises";
import { createRedisClient } from "../../src/sessions/create-redis-client.ts";
import { RedisSessionStore } from "../../src/sessions/redis-session-store.ts";
import { StoreUnavailableError } from "../../src/sessions/session-store.ts";

/** What each user's state holds: the ids of their messages whose turns committed, in order. */
export interface Delivered {
  ids: string[];
}

const [
  redisUrl = "",
  prefix = "",
  commandTimeoutMs = "500",
  leaseMs = "3000",
  pendingWaitMs = "1000",
  turnMs = "50",
] = process.argv.slice(2);

const store = new RedisSessionStore<Delivered>({
  redis: createRedisClient(redisUrl, { commandTimeoutMs: Number(commandTimeoutMs) }),
  prefix,
  ownsClient: true,
  version: 1,
  migrate: () => undefined,
  ttlSeconds: 3600,
  rateLimitPerMinute: 1_000_000,
  lockLeaseMs: Number(leaseMs),
  lockWaitMs: 20_000,
  pendingWaitMs: Number(pendingWaitMs),
});

async function handle(user: string, id: string): Promise<Record<string, unknown>> {
  try {
    const outcome = await store.withMessage(user, id, async (state) => {
      await sleep(Number(turnMs)); // the dialog's work: a window in which faults find the turn in flight
      return { state: { ids: [...(state?.ids ?? []), id] }, result: [{ text: `ok ${id}` }] };
    });
    return { status: outcome.status, ...("result" in outcome ? { replies: outcome.result } : {}) };
  } catch (error) {
    if (error instanceof StoreUnavailableError) return { status: "busy" };
    return {
      status: "error",
      error: error instanceof Error ? `${error.name}: ${error.message}` : String(error),
    };
  }
}

await store.ping();
process.stdout.write("ready\n");
const lines = createInterface({ input: process.stdin });
lines.on("line", (line) => {
  const { user, id } = JSON.parse(line) as { user: string; id: string };
  void handle(user, id).then((answer) =>
    process.stdout.write(`${JSON.stringify({ user, id, ...answer })}\n`),
  );
});
lines.on("close", () => void store.close());
