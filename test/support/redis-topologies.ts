// Local Redis topologies for the fault tests, each on 127.0.0.1, on free ports, in a temp dir of its own: a
// 3-master Redis Cluster and a Sentinel pair (a master, its replica, two Sentinels watching it with quorum 1); and
// the session store contract's essentials, which the store keeps on each.
import { spawn } from "node:child_process";
import type { ChildProcess } from "node:child_process";
import { rmSync } from "node:fs";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import type { Server } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { Redis } from "ioredis";
import { expect } from "vitest";
import type { RedisEndpoint } from "../../src/sessions/redis-topology.ts";
import type { SessionStore } from "../../src/sessions/session-store.ts";

const HOST = "127.0.0.1";

/** A local Redis Cluster: its masters, and `stop` to kill them and remove their files. */
export interface LocalRedisCluster {
  readonly nodes: readonly RedisEndpoint[];
  /** `host:port,…`, as REDIS_CLUSTER_NODES takes it. */
  readonly nodesSetting: string;
  /** The port of the master serving `key`'s slot. */
  portOf(key: string): Promise<number>;
  /** Kills every node (SIGKILL), as a power cut would; their data is gone, their cluster configuration kept. */
  killAll(): Promise<void>;
  /** Starts the killed nodes again on the same ports; resolves once the cluster is ok. */
  restartAll(): Promise<void>;
  stop(): Promise<void>;
}

/** A Sentinel-watched master with one replica. */
export interface LocalSentinelPair {
  /** The master name the Sentinels monitor (REDIS_SENTINEL_NAME). */
  readonly name: string;
  readonly sentinels: readonly RedisEndpoint[];
  /** `host:port,…`, as REDIS_SENTINELS takes it. */
  readonly sentinelsSetting: string;
  /** The data nodes' ports: the first master and its replica. */
  readonly masterPort: number;
  readonly replicaPort: number;
  /** The master the Sentinels name now. */
  currentMaster(): Promise<RedisEndpoint>;
  /** Kills the current master (SIGKILL, as a crash would); resolves with its port once it is gone. */
  killMaster(): Promise<number>;
  /** Resolves once the Sentinels name a master other than `port` (a failover has happened). */
  waitForNewMaster(port: number, timeoutMs?: number): Promise<RedisEndpoint>;
  stop(): Promise<void>;
}

/**
 * Starts `masters` cluster-enabled servers, joins them with `redis-cli --cluster create … --cluster-replicas 0`
 * and resolves once every node reports `cluster_state:ok` and sees every slot covered.
 */
export async function startRedisCluster(masters = 3): Promise<LocalRedisCluster> {
  const { dir, remove } = await tempDir("zc-cluster-");
  // Two ports per node: clients, and the cluster bus (set explicitly: port + 10000 may be past 65535).
  const ports = await freePorts(masters * 2);
  const servers: RedisServer[] = [];
  const stop = async () => {
    await Promise.all(servers.map((server) => server.kill()));
    await remove();
  };
  try {
    for (let i = 0; i < masters; i++) {
      const port = ports[2 * i] as number;
      const busPort = ports[2 * i + 1] as number;
      servers.push(
        await RedisServer.start([
          ...dataNodeArgs(port, dir),
          "--cluster-enabled",
          "yes",
          "--cluster-port",
          String(busPort),
          "--cluster-config-file",
          `nodes-${port}.conf`,
          "--cluster-node-timeout",
          "2000",
        ]),
      );
    }
    const nodes = servers.map((server) => ({ host: HOST, port: server.port }));
    const addresses = nodes.map(({ host, port }) => `${host}:${port}`);
    await run("redis-cli", ["--cluster", "create", ...addresses, "--cluster-replicas", "0", "--cluster-yes"]);
    const allOk = async () => {
      for (const { port } of nodes) {
        await untilTrue(`cluster node ${port} is ok`, 20_000, async () => {
          const info = await query(port, (redis) => redis.cluster("INFO"));
          return info.includes("cluster_state:ok") && info.includes(`cluster_known_nodes:${masters}`);
        });
      }
    };
    await allOk();
    return {
      nodes,
      nodesSetting: addresses.join(","),
      async portOf(key) {
        const port = nodes[0]?.port ?? 0;
        const slot = await query(port, (redis) => redis.cluster("KEYSLOT", key));
        const ranges = await query(port, (redis) => redis.cluster("SLOTS"));
        const owner = ranges.find(([from, to]) => from <= slot && slot <= to)?.[2];
        if (owner === undefined) throw new Error(`no node serves slot ${slot}`);
        return owner[1];
      },
      async killAll() {
        await Promise.all(servers.map((server) => server.kill()));
      },
      async restartAll() {
        for (const server of servers) await server.restart();
        await allOk();
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Starts a master, a replica in sync with it, and two Sentinels monitoring it (quorum 1, a master is down after
 * 1 s without an answer); resolves once each Sentinel knows the replica and the other Sentinel, so a failover can
 * be elected at once.
 */
export async function startSentinelPair(name = "zc-master"): Promise<LocalSentinelPair> {
  const { dir, remove } = await tempDir("zc-sentinel-");
  const [masterPort, replicaPort, ...sentinelPorts] = (await freePorts(4)) as [
    number,
    number,
    number,
    number,
  ];
  const servers = new Map<number, RedisServer>();
  const stop = async () => {
    await Promise.all([...servers.values()].map((server) => server.kill()));
    await remove();
  };
  try {
    servers.set(masterPort, await RedisServer.start(dataNodeArgs(masterPort, dir)));
    servers.set(
      replicaPort,
      await RedisServer.start([...dataNodeArgs(replicaPort, dir), "--replicaof", HOST, String(masterPort)]),
    );
    await untilTrue("the replica is in sync", 20_000, async () =>
      (await query(replicaPort, (redis) => redis.info("replication"))).includes("master_link_status:up"),
    );
    for (const port of sentinelPorts) {
      // A Sentinel rewrites its configuration file, so each gets one of its own.
      const file = join(dir, `sentinel-${port}.conf`);
      await writeFile(
        file,
        [
          `port ${port}`,
          `bind ${HOST}`,
          `dir ${dir}`,
          `sentinel monitor ${name} ${HOST} ${masterPort} 1`,
          `sentinel down-after-milliseconds ${name} 1000`,
          // Also the wait before a failed election is retried (twice this), so keep it short.
          `sentinel failover-timeout ${name} 2000`,
          `sentinel parallel-syncs ${name} 1`,
          "",
        ].join("\n"),
      );
      servers.set(port, await RedisServer.start([file, "--sentinel"], port));
    }
    for (const port of sentinelPorts) {
      await untilTrue(`sentinel ${port} knows the replica and the other sentinel`, 20_000, async () => {
        const [replicas, others] = await query(port, (redis) =>
          Promise.all([
            redis.call("SENTINEL", "REPLICAS", name) as Promise<unknown[]>,
            redis.call("SENTINEL", "SENTINELS", name) as Promise<unknown[]>,
          ]),
        );
        return replicas.length === 1 && others.length === sentinelPorts.length - 1;
      });
    }
    const sentinels = sentinelPorts.map((port) => ({ host: HOST, port }));
    const currentMaster = async (): Promise<RedisEndpoint> => {
      const [host, port] = (await query(sentinelPorts[0], (redis) =>
        redis.call("SENTINEL", "GET-MASTER-ADDR-BY-NAME", name),
      )) as [string, string];
      return { host, port: Number(port) };
    };
    return {
      name,
      sentinels,
      sentinelsSetting: sentinels.map(({ host, port }) => `${host}:${port}`).join(","),
      masterPort,
      replicaPort,
      currentMaster,
      async killMaster() {
        const { port } = await currentMaster();
        await servers.get(port)?.kill();
        return port;
      },
      async waitForNewMaster(oldPort, timeoutMs = 30_000) {
        let master: RedisEndpoint = { host: HOST, port: oldPort };
        await untilTrue(`a failover away from ${oldPort}`, timeoutMs, async () => {
          master = await currentMaster();
          if (master.port === oldPort) return false;
          const info = await query(master.port, (redis) => redis.info("replication"));
          return info.includes("role:master");
        });
        return master;
      },
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** The state the essentials' turns keep. */
export interface Counter {
  user: string;
  count: number;
}

/** One turn that adds 1 to the user's count (after a yield, so turns that were not serialised would interleave). */
export function increment(store: SessionStore<Counter>, user: string): Promise<number> {
  return store.withSession(user, async (state) => {
    const count = (state?.count ?? 0) + 1;
    await sleep(0);
    return { state: { user, count }, result: count };
  });
}

/** Delivers message `id` of `user` with a turn that adds 1; resolves to what became of it. */
export async function deliver(store: SessionStore<Counter>, user: string, id?: string): Promise<string> {
  const outcome = await store.withMessage(user, id, (state) =>
    Promise.resolve({ state: { user, count: (state?.count ?? 0) + 1 }, result: null }),
  );
  return outcome.status;
}

/**
 * The essentials of the session store contract (test/sessions/session-store.contract.test.ts), on two stores over
 * one topology, as two processes would have: turns of a user are serialised (no update lost among 200 users × 6
 * concurrent turns spread over both), a message id is answered once (also when both race for it), each user has a
 * rate limit of their own, and forget deletes the state and the rate count. `a` and `b` allow 3 messages a minute.
 */
export async function expectStoreEssentials(
  a: SessionStore<Counter>,
  b: SessionStore<Counter>,
): Promise<void> {
  const users = Array.from({ length: 200 }, (_, i) => `serial-${i}`);
  await Promise.all(users.flatMap((user) => [a, b, a, b, a, b].map((store) => increment(store, user))));
  const counts = await Promise.all(users.map((user) => peek(a, user)));
  expect(counts.filter((state, i) => state?.count !== 6 || state.user !== users[i])).toEqual([]);

  const racers = Array.from({ length: 100 }, (_, i) => `racer-${i}`);
  const raced = await Promise.all(racers.flatMap((user) => [deliver(a, user, "m1"), deliver(b, user, "m1")]));
  for (let i = 0; i < racers.length; i++) {
    expect([raced[2 * i], raced[2 * i + 1]].sort()).toEqual(["answered", "duplicate"]);
  }
  expect((await Promise.all(racers.map((user) => peek(b, user)))).map((state) => state?.count)).toEqual(
    racers.map(() => 1),
  );

  const statuses = [];
  for (const store of [a, b, a, b]) statuses.push(await deliver(store, "limited"));
  expect(statuses).toEqual(["answered", "answered", "answered", "rate-limited"]);
  await expect(deliver(b, "unlimited")).resolves.toBe("answered");
  await b.forget("limited");
  await expect(peek(a, "limited")).resolves.toBeUndefined();
  await expect(deliver(a, "limited")).resolves.toBe("answered");
}

function peek(store: SessionStore<Counter>, user: string): Promise<Counter | undefined> {
  return store.withSession(user, (state) => Promise.resolve({ state: undefined, result: state }));
}

/** Settings of a data node: loopback only, nothing persisted, files in `dir`. */
function dataNodeArgs(port: number, dir: string): string[] {
  return ["--port", String(port), "--bind", HOST, "--dir", dir, "--save", "", "--appendonly", "no"];
}

// Every server and temp dir this process made, removed if the test process exits without stopping them.
const running = new Set<ChildProcess>();
const tempDirs = new Set<string>();
process.once("exit", () => {
  running.forEach((child) => child.kill("SIGKILL"));
  tempDirs.forEach((dir) => rmSync(dir, { recursive: true, force: true }));
});

/** A fresh temp dir, removed by `stop` (or at exit). */
async function tempDir(prefix: string): Promise<{ dir: string; remove: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  tempDirs.add(dir);
  return {
    dir,
    remove: async () => {
      tempDirs.delete(dir);
      await rm(dir, { recursive: true, force: true });
    },
  };
}

/** One redis-server (or Sentinel) process, which may be killed and started again with the same arguments. */
class RedisServer {
  #child: ChildProcess | undefined;

  private constructor(
    readonly port: number,
    private readonly args: string[],
  ) {}

  /** Spawns `redis-server args` and resolves once it answers PING on `port`. */
  static async start(args: string[], port = Number(args[args.indexOf("--port") + 1])): Promise<RedisServer> {
    const server = new RedisServer(port, args);
    await server.restart();
    return server;
  }

  /** Starts the process (again) and resolves once it answers. */
  async restart(): Promise<void> {
    const child = spawn("redis-server", this.args, { stdio: ["ignore", "pipe", "pipe"] });
    this.#child = child;
    running.add(child);
    let output = "";
    const collect = (chunk: string) => (output = (output + chunk).slice(-4_000));
    child.stdout?.setEncoding("utf8").on("data", collect);
    child.stderr?.setEncoding("utf8").on("data", collect);
    const exited = new Promise<never>((_, reject) => {
      child.once("error", reject);
      child.once("exit", (code) =>
        reject(new Error(`redis-server ${this.args.join(" ")} exited (${code}): ${output}`)),
      );
    });
    exited.catch(() => undefined);
    const port = this.port;
    await Promise.race([exited, untilTrue(`redis-server on ${port} answers`, 10_000, () => answers(port))]);
  }

  /** Kills the process and resolves once it is gone. */
  async kill(): Promise<void> {
    const child = this.#child;
    this.#child = undefined;
    if (child === undefined) return;
    running.delete(child);
    if (child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise((resolve) => child.once("exit", resolve));
    child.kill("SIGKILL");
    await exited;
  }
}

/** Runs a command to completion; rejects with its output when it fails. */
function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (output += chunk));
    child.once("error", reject);
    child.once("exit", (code) =>
      code === 0 ? resolve(output) : reject(new Error(`${command} ${args.join(" ")} (${code}): ${output}`)),
    );
  });
}

/** One short-lived connection to the server on `port`, used for `ask`, then closed. */
async function query<T>(port: number, ask: (redis: Redis) => Promise<T>): Promise<T> {
  const redis = new Redis({
    host: HOST,
    port,
    lazyConnect: true,
    retryStrategy: () => null,
    maxRetriesPerRequest: 0,
  });
  redis.on("error", () => undefined);
  try {
    await redis.connect();
    return await ask(redis);
  } finally {
    redis.disconnect();
  }
}

async function answers(port: number): Promise<boolean> {
  return (await query(port, (redis) => redis.ping()).catch(() => "")) === "PONG";
}

/** Polls `check` every 100 ms until it holds; fails naming `what` after `timeoutMs`. */
async function untilTrue(what: string, timeoutMs: number, check: () => Promise<boolean>): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (await check()) return;
    } catch (error) {
      lastError = error;
    }
    await sleep(100);
  }
  throw new Error(`timed out waiting until ${what}`, { cause: lastError });
}

/** `count` distinct ports the OS reports free (all held open together, so none is handed out twice). */
async function freePorts(count: number): Promise<number[]> {
  const servers: Server[] = [];
  try {
    for (let i = 0; i < count; i++) {
      const server = createServer();
      servers.push(server);
      await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen(0, HOST, resolve);
      });
    }
    return servers.map((server) => {
      const address = server.address();
      return typeof address === "object" && address !== null ? address.port : 0;
    });
  } finally {
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  }
}
