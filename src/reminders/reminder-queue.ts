// Reminder delivery on BullMQ: a repeatable tick plans what is due, send jobs (retries, backoff, per-platform and
// per-chat rate limits) send it once. https://docs.bullmq.io/ — own connections (maxRetriesPerRequest: null).
import { createHash } from "node:crypto";
import { Cluster, Redis } from "ioredis";
import { DelayedError, Queue, Worker, type Job } from "bullmq";
import type { RedisTopology } from "../sessions/redis-topology.ts";
import { parseChatKey } from "./chat-ref.ts";
import { limitsOf, PLATFORM_LIMITS, type PlatformLimits } from "./reminder-limits.ts";
import { planReminders, sendIfDue, type ReminderSenderDeps } from "./reminder-sender.ts";

/** The part of every BullMQ key that makes them share one Redis Cluster slot. */
export const QUEUE_HASH_TAG = "{zc-reminders}";

/** A send job: one chat's reminder of one deadline (what is due is worked out again when it runs). */
export interface SendJob {
  chat: string;
  deadlineId: string;
}

export interface ReminderQueueSettings {
  topology: RedisTopology;
  /** REDIS_PREFIX: queues live under `<prefix>{zc-reminders}`. */
  prefix: string;
  /** How often the tick plans (ms). */
  tickMs: number;
  /** Run the tick's scheduler (serve and worker do; the CLI's direct sends do not need it). */
  schedule: boolean;
  /** Send jobs each worker runs at once. */
  concurrency?: number;
  limits?: Readonly<Record<string, PlatformLimits>>;
  /** Tries per send job, with exponential backoff from `backoffMs`. */
  attempts?: number;
  backoffMs?: number;
  /**
   * BullMQ's job lock and stalled-job check (ms): a worker that dies holding jobs has them taken up by another after
   * about this long (defaults 30 s each; tests and the bench shorten them).
   */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  onError?: (line: string) => void;
}

export interface ReminderWorkers {
  /** Plans now (as a tick does) and enqueues what is due; resolves with the number of send jobs added. */
  tick(): Promise<number>;
  close(): Promise<void>;
}

/** A BullMQ connection: its own, retrying every command (BullMQ needs it; the chat store fails fast instead). */
export function queueConnection(topology: RedisTopology): Redis | Cluster {
  const options = { maxRetriesPerRequest: null, enableReadyCheck: true } as const;
  switch (topology.kind) {
    case "single":
      return new Redis(topology.url, options);
    case "sentinel":
      return new Redis({ ...options, sentinels: [...topology.sentinels], name: topology.name });
    case "cluster":
      return new Cluster([...topology.nodes], { redisOptions: options });
  }
}

/** A job id BullMQ accepts (no ':'), the same for the same chat and deadline: an add while one waits is a no-op. */
function jobId(job: SendJob): string {
  return createHash("sha256").update(`${job.chat}\n${job.deadlineId}`).digest("hex").slice(0, 40);
}

const TICK_QUEUE = "reminders-tick";
const sendQueueName = (channel: string) => `reminders-send-${channel}`;

/**
 * Starts the tick (a job scheduler every `tickMs`, one worker at a time runs it) and one send worker per platform
 * with that platform's overall limiter; a chat over its own window is delayed to the window's end.
 */
export function startReminderWorkers(
  deps: ReminderSenderDeps,
  settings: ReminderQueueSettings,
): Promise<ReminderWorkers> {
  const prefix = `${settings.prefix}${QUEUE_HASH_TAG}`;
  const limits = settings.limits ?? PLATFORM_LIMITS;
  const connections: Array<Redis | Cluster> = [];
  const connection = () => {
    const c = queueConnection(settings.topology);
    c.on("error", (e: Error) => settings.onError?.(`reminders redis: ${e.message}`));
    connections.push(c);
    return c;
  };
  const counter = connection();
  const channels = Object.keys(limits);
  const sendQueues = new Map(
    channels.map((ch) => [ch, new Queue<SendJob>(sendQueueName(ch), { connection: connection(), prefix })]),
  );
  const tickQueue = new Queue(TICK_QUEUE, { connection: connection(), prefix });

  const enqueue = async (): Promise<number> => {
    const due = await planReminders(deps);
    let added = 0;
    for (const ch of channels) {
      const mine = due.filter((d) => d.chat.channel === ch);
      if (mine.length === 0) continue;
      await sendQueues.get(ch)?.addBulk(
        mine.map((d) => {
          const data: SendJob = { chat: d.chatKey, deadlineId: d.deadline.id };
          return {
            name: "send",
            data,
            opts: {
              jobId: jobId(data),
              attempts: settings.attempts ?? 8,
              backoff: { type: "exponential", delay: settings.backoffMs ?? 2_000 },
              removeOnComplete: true,
              removeOnFail: { count: 1_000 },
            },
          };
        }),
      );
      added += mine.length;
    }
    return added;
  };

  const workers: Worker[] = [];
  if (settings.schedule) {
    // Not awaited: with Redis down at start-up this waits (BullMQ's connections queue commands) until it returns,
    // and the server must serve meanwhile.
    tickQueue
      .upsertJobScheduler(
        "tick",
        { every: settings.tickMs },
        { name: "tick", opts: { removeOnComplete: true, removeOnFail: { count: 100 } } },
      )
      .catch((err: unknown) =>
        settings.onError?.(`reminders schedule: ${err instanceof Error ? err.message : String(err)}`),
      );
  }
  workers.push(new Worker(TICK_QUEUE, () => enqueue(), { connection: connection(), prefix, concurrency: 1 }));
  for (const ch of channels) {
    const platform = limitsOf(ch, limits);
    const worker: Worker<SendJob> = new Worker<SendJob>(
      sendQueueName(ch),
      async (job: Job<SendJob>, token?: string) => {
        const chat = parseChatKey(job.data.chat);
        if (!chat) return "bad-chat";
        const window = chat.kind === "group" ? platform.group : platform.direct;
        const slot = Math.floor(Date.now() / window.durationMs);
        const rateKey = `${prefix}:rate:${job.data.chat}:${slot}`;
        const used = await counter.incr(rateKey);
        if (used === 1) await counter.pexpire(rateKey, window.durationMs * 2);
        if (used > window.max) {
          await job.moveToDelayed((slot + 1) * window.durationMs, token);
          throw new DelayedError();
        }
        const outcome = await sendIfDue(chat, job.data.deadlineId, deps);
        // Another sender holds the claim: it may finish (then the retry finds nothing due) or have died (then the
        // claim lapses and the retry sends). Completing here could lose the reminder.
        if (outcome.kind === "claimed") throw new Error("claimed by another sender; retried after its claim");
        return outcome.kind;
      },
      {
        connection: connection(),
        prefix,
        concurrency: settings.concurrency ?? 10,
        ...(settings.lockDurationMs ? { lockDuration: settings.lockDurationMs } : {}),
        ...(settings.stalledIntervalMs ? { stalledInterval: settings.stalledIntervalMs } : {}),
        limiter: { max: platform.overall.max, duration: platform.overall.durationMs },
      },
    );
    worker.on("failed", (job, err) =>
      settings.onError?.(
        `reminder send on ${ch} failed (attempt ${job?.attemptsMade ?? "?"}): ${err.message}`,
      ),
    );
    workers.push(worker);
  }
  for (const w of workers) w.on("error", (err) => settings.onError?.(`reminders worker: ${err.message}`));
  for (const q of [tickQueue, ...sendQueues.values()])
    q.on("error", (err) => settings.onError?.(`reminders queue: ${err.message}`));

  return Promise.resolve({
    tick: enqueue,
    close: async () => {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all([tickQueue.close(), ...[...sendQueues.values()].map((q) => q.close())]);
      for (const c of connections) c.disconnect();
    },
  });
}
