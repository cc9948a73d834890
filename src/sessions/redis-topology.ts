// Which Redis a deployment keeps its sessions in: one server, a Sentinel-watched primary, or a Cluster.

/** One `host:port` of a Sentinel or a Cluster node. */
export interface RedisEndpoint {
  host: string;
  port: number;
}

/** How to reach Redis; `createRedisClient` connects to each the same fail-fast way. */
export type RedisTopology =
  | { kind: "single"; url: string }
  | { kind: "sentinel"; sentinels: readonly RedisEndpoint[]; name: string }
  | { kind: "cluster"; nodes: readonly RedisEndpoint[] };

/** The Redis settings as configured (`REDIS_URL`, `REDIS_SENTINELS` + `REDIS_SENTINEL_NAME`, `REDIS_CLUSTER_NODES`). */
export interface RedisSettings {
  redisUrl?: string | undefined;
  redisSentinels?: readonly RedisEndpoint[] | undefined;
  /** The master name the Sentinels monitor; required with `redisSentinels`. */
  redisSentinelName?: string | undefined;
  redisClusterNodes?: readonly RedisEndpoint[] | undefined;
}

/**
 * Picks the topology: Cluster nodes win over Sentinels, Sentinels over a URL; undefined when none is set (the
 * in-memory store). A deployment moving to a Cluster may leave its old `REDIS_URL` set without splitting its users
 * between two Redis setups.
 * @throws Error for Sentinels without a master name (the configuration refuses that earlier, in Chinese).
 */
export function chooseRedisTopology(settings: RedisSettings): RedisTopology | undefined {
  const { redisUrl, redisSentinels, redisSentinelName, redisClusterNodes } = settings;
  if (redisClusterNodes !== undefined && redisClusterNodes.length > 0) {
    return { kind: "cluster", nodes: redisClusterNodes };
  }
  if (redisSentinels !== undefined && redisSentinels.length > 0) {
    if (!redisSentinelName) throw new Error("Redis Sentinels need the name of the master they monitor");
    return { kind: "sentinel", sentinels: redisSentinels, name: redisSentinelName };
  }
  return redisUrl === undefined ? undefined : { kind: "single", url: redisUrl };
}
