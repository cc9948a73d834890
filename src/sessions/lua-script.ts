// A Lua script run by its SHA (EVALSHA), loaded whenever a connection becomes ready, and on NOSCRIPT.
import { createHash } from "node:crypto";
import { Cluster } from "ioredis";
import type { Redis } from "ioredis";

/** One server-side script; keys and arguments are passed per call. */
export class LuaScript {
  readonly source: string;
  readonly sha: string;

  constructor(source: string) {
    this.source = source;
    this.sha = createHash("sha1").update(source).digest("hex");
  }

  async run(
    client: Redis | Cluster,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<unknown> {
    try {
      return await client.evalsha(this.sha, keys.length, ...keys, ...args);
    } catch (error) {
      // A server that restarted or was flushed since its connection's 'ready' (or a cluster node we have not
      // loaded yet) does not know the script: EVAL runs and caches it.
      if (error instanceof Error && error.message.startsWith("NOSCRIPT")) {
        return client.eval(this.source, keys.length, ...keys, ...args);
      }
      throw error;
    }
  }
}

/**
 * Loads `scripts` on every connection as soon as it is ready, and again after every reconnection (a restarted
 * Redis has forgotten them): SCRIPT LOAD is written in the 'ready' handler, ahead of any command the store sends
 * on that connection, so EVALSHA does not have to fail first and fall back to EVAL (two round trips, and a
 * fallback that a command timeout can cut off). For a Cluster, on every node, including nodes that join later
 * ('+node') and replicas (a replica may be promoted); nodes are connected at once rather than on first use. Best
 * effort: a failed load leaves the NOSCRIPT fallback.
 */
export function loadScriptsOnReady(client: Redis | Cluster, scripts: readonly LuaScript[]): void {
  const load = (node: Redis) => {
    for (const script of scripts) node.script("LOAD", script.source).catch(() => undefined);
  };
  if (client instanceof Cluster) {
    const hooked = new WeakSet<Redis>();
    const hook = (node: Redis) => {
      if (hooked.has(node)) return;
      hooked.add(node);
      node.on("ready", () => load(node));
      if (node.status === "ready") load(node);
      // ioredis connects to a node only when a command first goes there: connect now, so that the scripts are
      // there before that command (its 'ready' loads them).
      else if (node.status === "wait") node.connect().catch(() => undefined);
    };
    client.on("+node", hook);
    client.on("ready", () => client.nodes().forEach(hook));
    client.nodes().forEach(hook);
    return;
  }
  client.on("ready", () => load(client));
  if (client.status === "ready") load(client);
}
