// The server's wiring: the session store, the HTTP API, the chat channels and their Redis parts, started and stopped
// in one place (the composition root's `serve`, split out of main.ts so the CLI entry stays thin).
import type { Config } from "./config.ts";
import type { Services } from "./app/services.ts";
import type { HttpServer } from "./http/http-server.ts";
import type { WebhookRoute } from "./http/webhook-routes.ts";
import { lastPart, onceAMinute } from "./app/throttled-log.ts";
import { createChat, createServices } from "./compose.ts";
import { reloadableServices } from "./app/reloadable-services.ts";
import { adminRoutes } from "./http/admin-routes.ts";

/** A wired server, not yet listening: `serveCommand` listens, drains on a signal, then calls `close`. */
export interface WiredServer {
  http: HttpServer;
  /** Where sessions are kept, for the start-up line. */
  sessions: string;
  /** After the HTTP drain: the channels stop (finishing the messages in hand), then their Redis parts, the store. */
  close(): Promise<void>;
}

/** Builds the store, the channels and the HTTP server from the configuration. */
export async function wireServer(config: Config, loaded: Services): Promise<WiredServer> {
  // knowledge/ reloads without a restart (SIGHUP, POST /admin/reload): every part below holds the reloadable set.
  const reloadable = reloadableServices(loaded, () => createServices(config, loaded.clock));
  const services = reloadable.services;
  const [{ createHttpServer, httpSettings }, { createLogger }, { Metrics }, { startChannelRuntime }] =
    await Promise.all([
      import("./http/http-server.ts"),
      import("./http/logger.ts"),
      import("./http/metrics.ts"),
      import("./reminders/channel-runtime.ts"),
    ]);
  const { clock } = services;
  // JSON lines on stderr (stdout keeps the start-up lines), at LOG_LEVEL.
  const logger = createLogger(config.LOG_LEVEL);
  const metrics = new Metrics({ processMetrics: true });
  for (const name of ["web", "telegram", "dingtalk", "wechat", "wecom"]) metrics.declareChannel(name);
  // The store, the channels and their Redis parts (poller lease, delivery marks, durable inbox) and the reminders,
  // as the worker starts them; the server counts Redis errors and turn outcomes, and one outage seen by every part
  // is one log line per cause a minute.
  const runtime = await startChannelRuntime(config, services, createChat, logger, {
    trouble: onceAMinute(clock, (line) => logger.warn(line), lastPart),
    onStoreError: () => metrics.storeError("redis-connection"),
    wrapTurn: (turn) => metrics.countingTurns(turn),
  });
  const { chat, turn, channels, reminders } = runtime;
  const storeUp = () =>
    chat.store.ping().then(
      () => true,
      () => false,
    );
  if (config.REMINDERS_IN_PROCESS)
    await reminders.start((ch, target, replies) => channels.send(ch, target, replies));
  const webhooks: readonly WebhookRoute[] = [
    ...channels.webhooks,
    ...adminRoutes(config.ADMIN_TOKEN, () => reloadable.reload()),
  ];
  const onHangup = () => {
    reloadable.reload().then(
      ({ deadlines }) => logger.info(`knowledge reloaded (SIGHUP): ${deadlines} deadlines`),
      (err: unknown) => logger.error(`knowledge reload failed, the old stays: ${String(err)}`),
    );
  };
  process.on("SIGHUP", onHangup);

  const http = createHttpServer(
    {
      services,
      chat: metrics.countingTurns(turn),
      storeUp,
      metrics,
      logger,
      channels: () => channels.statuses(),
      webhooks,
    },
    httpSettings(config),
  );
  const sessions =
    config.REDIS_URL || config.REDIS_SENTINELS || config.REDIS_CLUSTER_NODES
      ? "Redis"
      : "内存（未设置 REDIS_URL，重启后会话清空）";
  return {
    http,
    sessions,
    close: async () => {
      process.off("SIGHUP", onHangup);
      await runtime.close();
    },
  };
}
