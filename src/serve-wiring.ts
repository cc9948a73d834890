// The server's wiring: the session store, the HTTP API, the chat channels and their Redis parts, started and stopped
// in one place (the composition root's `serve`, split out of main.ts so the CLI entry stays thin).
import type { Config } from "./config.ts";
import type { Services } from "./app/services.ts";
import type { InboundMessage } from "./shared/chat.ts";
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
  const [
    { createHttpServer, httpSettings },
    { createLogger },
    { Metrics },
    { chatTurn },
    { startChannels },
    { createChannelPrimitives },
    { withGroupPolicy },
    { wireReminders },
  ] = await Promise.all([
    import("./http/http-server.ts"),
    import("./http/logger.ts"),
    import("./http/metrics.ts"),
    import("./app/chat-turn.ts"),
    import("./bots/start-channels.ts"),
    import("./app/channel-primitives.ts"),
    import("./app/group-policy.ts"),
    import("./app/reminder-wiring.ts"),
  ]);
  const { clock } = services;
  // JSON lines on stderr (stdout keeps the start-up lines), at LOG_LEVEL.
  const logger = createLogger(config.LOG_LEVEL);
  const metrics = new Metrics({ processMetrics: true });
  services.prepare();
  const countStoreError = () => metrics.storeError("redis-connection");
  // One outage is seen by the store, the channels' parts and the reminders alike: one line per cause a minute.
  const trouble = onceAMinute(clock, (line) => logger.warn(line), lastPart);
  const chat = await createChat(services, trouble, countStoreError);
  const storeUp = () =>
    chat.store.ping().then(
      () => true,
      () => false,
    );
  // Subscription commands (/subscribe …) are answered before the dialog; reminders go out through the channels.
  const reminders = await wireReminders(config, {
    clock,
    deadlines: () => services.deadlines({}),
    log: trouble,
  });
  const turn = reminders.wrap((m: InboundMessage) => chatTurn(m, chat));

  // The channels' Redis parts (poller lease, delivery marks, durable inbox) on the sessions' Redis settings.
  const primitives = createChannelPrimitives({
    redisUrl: config.REDIS_URL,
    redisSentinels: config.REDIS_SENTINELS,
    redisSentinelName: config.REDIS_SENTINEL_NAME,
    redisClusterNodes: config.REDIS_CLUSTER_NODES,
    prefix: config.REDIS_PREFIX,
    clock,
    onRedisError: (error) => {
      countStoreError();
      trouble(`redis (channels): ${error.message}`);
    },
  });
  await primitives.ready();
  for (const name of ["web", "telegram", "dingtalk", "wechat", "wecom"]) metrics.declareChannel(name);
  const channels = await startChannels(config, {
    turn: withGroupPolicy(metrics.countingTurns(turn), clock),
    log: logger,
    clock,
    lock: primitives.lock,
    deliveries: primitives.deliveries,
    inbox: primitives.inbox,
    choices: primitives.choices,
  });
  if (config.REMINDERS_IN_PROCESS)
    await reminders.start((ch, target, replies) => channels.send(ch, target, replies));
  const webhooks: WebhookRoute[] = [
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
  const telegramWebhook = channels.telegramWebhook;
  if (telegramWebhook) {
    webhooks.push({
      method: "POST",
      path: "/telegram/webhook",
      handle: ({ headers, body }) => telegramWebhook(headers, body),
    });
  }

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
      await reminders.close();
      await channels.stop();
      await primitives.close();
      await chat.store.close();
    },
  };
}
