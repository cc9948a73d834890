// An ioredis client (one server, Sentinel-watched primary, or Cluster) tuned to fail fast while Redis is away and
// to reconnect on its own.
import type { Socket } from "node:net";
import { Cluster, Redis } from "ioredis";
import type { RedisTopology } from "./redis-topology.ts";

/** Options of {@link createRedisClient}. */
export interface RedisClientOptions {
  /** Connection-level errors (refused, reset); they repeat while Redis is down, so throttle any logging. */
  onError?: (error: Error) => void;
  /** A command without a reply after this long fails (a hung server must not hang a user's turn). */
  commandTimeoutMs?: number;
}

/**
 * Connects to Redis. Commands never queue while disconnected (no offline queue) and are never re-sent after a
 * connection drop (`maxRetriesPerRequest: 0`; a Cluster's `retryDelayOnFailover: 0`): a re-sent write or INCR might
 * apply twice, so the caller learns of an outage at once; reconnection continues in the background with capped
 * exponential backoff and jitter, forever. A URL (redis://host:port/db) gives a single server.
 */
export function createRedisClient(url: string, options?: RedisClientOptions): Redis;
export function createRedisClient(topology: RedisTopology, options?: RedisClientOptions): Redis | Cluster;
export function createRedisClient(
  target: string | RedisTopology,
  options: RedisClientOptions = {},
): Redis | Cluster {
  const topology: RedisTopology = typeof target === "string" ? { kind: "single", url: target } : target;
  const onError = options.onError ?? (() => undefined);
  const commandTimeout = options.commandTimeoutMs ?? 5_000;
  if (topology.kind === "cluster") return createCluster(topology.nodes, commandTimeout, onError);
  const redis =
    topology.kind === "single"
      ? new Redis(topology.url, { ...connectionOptions(commandTimeout), ...serverOptions() })
      : new Redis({
          // https://redis.io/docs/latest/operate/oss_and_stack/management/sentinel/ : ask a Sentinel for the
          // current master on every (re)connection, so a failover is followed by the next reconnect.
          sentinels: topology.sentinels.map(({ host, port }) => ({ host, port })),
          name: topology.name,
          role: "master",
          sentinelRetryStrategy: reconnectDelay,
          sentinelCommandTimeout: commandTimeout,
          // A master demoted by a failover answers writes with READONLY: reconnect (the Sentinels name the new
          // master). The failed command is not re-sent (1, not 2): it fails, like any command during a failover.
          reconnectOnError: (error) => (error.message.startsWith("READONLY") ? 1 : false),
          ...connectionOptions(commandTimeout),
          ...serverOptions(),
        });
  // Without a listener an 'error' event would crash the process.
  redis.on("error", onError);
  // A Sentinel that does not answer; without a listener ioredis prints each one to stderr.
  if (topology.kind === "sentinel") redis.on("sentinelError", onError);
  coalesceEachConnection(redis);
  return redis;
}

/** Per-connection settings, the same for a single server, a Sentinel-watched master and each Cluster node. */
function connectionOptions(commandTimeout: number) {
  return {
    maxRetriesPerRequest: 0,
    commandTimeout,
    connectTimeout: 3_000,
  };
}

/** Settings of a client that owns its one connection (a Cluster sets these for the whole client). */
function serverOptions() {
  return {
    enableOfflineQueue: false,
    // No auto-pipelining: ioredis keeps one auto-pipeline in flight at a time, so under load every command
    // waited for the whole previous batch; turns stayed in flight longer, their objects outlived young-generation
    // collections, and scavenges paused 8–15 ms (`npm run bench -- sessions`: p99 16–19 ms → 4–6 ms without).
    // Writes are still batched, per event-loop callback, by `coalesceWrites` below.
    enableAutoPipelining: false,
    retryStrategy: reconnectDelay,
  };
}

/**
 * A Cluster client: every command goes to the master of its key's slot (a user's keys share one slot through their
 * `{u:…}` hash tag). https://github.com/redis/ioredis#cluster
 */
function createCluster(
  nodes: readonly { host: string; port: number }[],
  commandTimeout: number,
  onError: (error: Error) => void,
): Cluster {
  const cluster = new Cluster(
    nodes.map(({ host, port }) => ({ host, port })),
    {
      scaleReads: "master",
      // ioredis ties two queues to this one flag: the cluster's own, where commands wait with no time limit while
      // the whole cluster is away, and each node's, where they wait (within the command timeout) while that node's
      // connection is made: nodes connect on their first command, and with the flag off every other command for a
      // node still connecting fails. So the node queues stay on, and `refuseUntilReady` below does without the
      // cluster's queue. A command is still never sent twice.
      enableOfflineQueue: true,
      enableAutoPipelining: false,
      // When every node is lost the client closes; this reconnects it, forever. A single lost node's connection is
      // not retried: the next command for its slots asks another node, follows the MOVED, refreshes the slot map.
      clusterRetryStrategy: reconnectDelay,
      // A command whose connection closed would otherwise be re-sent after this delay: it may have run.
      retryDelayOnFailover: 0,
      // MOVED, ASK, TRYAGAIN and CLUSTERDOWN are refusals (the command did not run), so they are still followed,
      // at most 16 times (`maxRedirections`).
      slotsRefreshTimeout: 2_000,
      // Notice a failover or resharding even while no command has been redirected yet.
      slotsRefreshInterval: 5_000,
      redisOptions: connectionOptions(commandTimeout),
    },
  );
  refuseUntilReady(cluster);
  cluster.on("error", onError);
  cluster.on("node error", onError);
  // Each node's connection batches its writes like a single server's.
  cluster.on("+node", (node: Redis) => coalesceEachConnection(node));
  return cluster;
}

/**
 * Fails a command at once while the cluster is not ready (connecting, or reconnecting after losing every node)
 * instead of holding it in the cluster's offline queue; the ready check's own `CLUSTER INFO` goes through.
 * `sendCommand` is the one method every command of an ioredis client goes through.
 */
function refuseUntilReady(cluster: Cluster): void {
  const send = cluster.sendCommand.bind(cluster);
  cluster.sendCommand = (...args: Parameters<Cluster["sendCommand"]>) => {
    const [command] = args;
    if (cluster.status === "ready" || command.name === "cluster") return send(...args);
    command.reject(new Error(`Redis Cluster is not ready (${cluster.status}); commands are not queued`));
    return command.promise;
  };
}

/** Capped exponential backoff with jitter, in milliseconds, for the `attempt`-th reconnection. */
function reconnectDelay(attempt: number): number {
  return Math.min(50 * 2 ** Math.min(attempt, 6), 2_000) + Math.floor(Math.random() * 100);
}

/** Each connection `redis` makes (a reconnection brings a new socket) batches its writes. */
function coalesceEachConnection(redis: Redis): void {
  redis.on("connect", () => coalesceWrites((redis as unknown as { stream: Socket }).stream));
}

/**
 * Makes every command written to `socket` in one run of the event loop's callbacks go out in one system call:
 * the first write corks the socket and a process.nextTick — after the promise continuations of this callback,
 * which issue the next commands of many users' turns — uncorks it, so Node sends the lot with one writev.
 */
function coalesceWrites(socket: Socket): void {
  const write = socket.write.bind(socket) as (...args: unknown[]) => boolean;
  let corked = false;
  const uncork = () => {
    corked = false;
    socket.uncork();
  };
  socket.write = (...args: unknown[]) => {
    if (!corked) {
      corked = true;
      socket.cork();
      process.nextTick(uncork);
    }
    return write(...args);
  };
}
