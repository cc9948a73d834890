// The one module that reads process.env: every setting, with its default, validated by zod.
import { isIP } from "node:net";
import { fileURLToPath } from "node:url";
import { z } from "zod";

const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));

/** `host:port,host:port` (Redis Sentinels, Cluster nodes) as endpoints; an IPv6 host may be written `[::1]:6379`. */
const hostPortList = z.string().transform((text, ctx) => {
  const endpoints: Array<{ host: string; port: number }> = [];
  for (const item of text.split(",").map((part) => part.trim())) {
    const match = /^\[?([^[\]]+?)\]?:(\d{1,5})$/.exec(item);
    const port = Number(match?.[2]);
    if (!match?.[1] || port < 1 || port > 65535) {
      ctx.addIssue({ code: "custom", message: `应为 host:port,host:port 形式，“${item}” 不是 host:port` });
      return z.NEVER;
    }
    endpoints.push({ host: match[1], port });
  }
  return endpoints;
});

/** Comma-separated secrets (API_KEYS), each long enough not to be guessed. */
const secretList = z
  .string()
  .transform((text) =>
    text
      .split(",")
      .map((part) => part.trim())
      .filter(Boolean),
  )
  .pipe(z.array(z.string().min(16, "每个密钥至少 16 个字符")).min(1, "至少一个密钥"));

/**
 * Fastify's trustProxy: `true` (whatever connects is a trusted proxy), `false`, or the proxies' addresses/CIDRs,
 * comma-separated (Fastify 5 trusts nothing for a bare hop count, so none is accepted).
 */
const trustProxy = z.string().transform((text, ctx): boolean | string[] => {
  const value = text.trim().toLowerCase();
  if (value === "true" || value === "false") return value === "true";
  const proxies = value.split(",").map((part) => part.trim());
  for (const proxy of proxies) {
    const [address = "", bits] = proxy.split("/");
    const named = ["loopback", "linklocal", "uniquelocal"].includes(proxy);
    if (!named && (isIP(address) === 0 || (bits !== undefined && !/^\d{1,3}$/.test(bits)))) {
      ctx.addIssue({
        code: "custom",
        message: `应为 true、false，或代理的地址/网段（逗号分隔），“${proxy}” 不是`,
      });
      return z.NEVER;
    }
  }
  return proxies;
});

const envFields = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("127.0.0.1"),
  /** Bearer secrets of trusted front ends (README "Access"); unset: none. */
  API_KEYS: secretList.optional(),
  /** Bearer token GET /metrics requires when set. */
  METRICS_TOKEN: z.string().min(16).optional(),
  /** Whether X-Forwarded-For / X-Forwarded-Proto count (the server is behind these proxies). */
  TRUST_PROXY: trustProxy.optional(),
  /** Requests per minute per client on /api/* (per key and user for key holders). */
  HTTP_RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(600),
  /** Open connections the HTTP server accepts at once; more are dropped on arrival. */
  HTTP_MAX_CONNECTIONS: z.coerce.number().int().positive().default(2_000),
  /** On SIGTERM/SIGINT, how long requests in flight may take before connections are closed regardless. */
  SHUTDOWN_GRACE_MS: z.coerce.number().int().positive().default(25_000),
  REDIS_URL: z.string().url().optional(),
  /** Key prefix in Redis, one per deployment sharing a server. */
  REDIS_PREFIX: z.string().min(1).default("zc:"),
  /** Redis Sentinels (`host:port,…`) watching the master named REDIS_SENTINEL_NAME; they win over REDIS_URL. */
  REDIS_SENTINELS: hostPortList.optional(),
  REDIS_SENTINEL_NAME: z.string().optional(),
  /** Redis Cluster start-up nodes (`host:port,…`); they win over the Sentinels and REDIS_URL. */
  REDIS_CLUSTER_NODES: hostPortList.optional(),
  SESSION_TTL_DAYS: z.coerce.number().positive().default(30),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(30),
  /** How long a delivered chat message's id and replies are kept, so that a redelivery gets the same replies. */
  DEDUPE_TTL_SECONDS: z.coerce.number().int().positive().default(600),
  /** Key for hashing user ids before they are stored; unset: a random secret created once in the session store. */
  USER_ID_SECRET: z.string().min(16).optional(),
  KNOWLEDGE_DIR: z.string().default(`${PROJECT_ROOT}knowledge`),
  LLM_BASE_URL: z.string().url().optional(),
  LLM_API_KEY: z.string().optional(),
  LLM_MODEL: z.string().optional(),
  LLM_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  TELEGRAM_BOT_TOKEN: z.string().optional(),
  TELEGRAM_API_ROOT: z.string().url().optional(),
  /** Public HTTPS URL of `/telegram/webhook`; with TELEGRAM_WEBHOOK_SECRET it replaces long polling. */
  TELEGRAM_WEBHOOK_URL: z.string().url().optional(),
  TELEGRAM_WEBHOOK_SECRET: z.string().optional(),
  DINGTALK_CLIENT_ID: z.string().optional(),
  DINGTALK_CLIENT_SECRET: z.string().optional(),
  /** Stream mode's connections/open endpoint (a self-hosted gateway or a local fake). */
  DINGTALK_GATEWAY_URL: z.string().url().optional(),
  /** Base of DingTalk's OpenAPI, for proactive messages (access token, robot sends). */
  DINGTALK_API_BASE: z.string().url().optional(),
  WECHAT_TOKEN: z.string().optional(),
  WECHAT_APP_ID: z.string().optional(),
  WECHAT_ENCODING_AES_KEY: z.string().optional(),
  WECHAT_APP_SECRET: z.string().optional(),
  /** Base of WeChat's server API (access token, customer-service messages). */
  WECHAT_API_BASE: z.string().url().optional(),
  WECOM_CORP_ID: z.string().optional(),
  WECOM_AGENT_ID: z.coerce.number().int().optional(),
  WECOM_SECRET: z.string().optional(),
  WECOM_TOKEN: z.string().optional(),
  WECOM_ENCODING_AES_KEY: z.string().optional(),
  /** Base of WeCom's server API (gettoken, message/send). */
  WECOM_API_BASE: z.string().url().optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
  /** In a group only its admins may subscribe to reminders, where the platform says who they are (`false`: anyone). */
  SUBSCRIBE_ADMINS_ONLY: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  /** `serve` runs the reminder scheduler and senders in its own process (`false`: only `zhicheng worker` does). */
  REMINDERS_IN_PROCESS: z
    .enum(["true", "false"])
    .default("true")
    .transform((v) => v === "true"),
  /** Bearer token of POST /admin/reload (16+ characters); unset: the route is not mounted (SIGHUP still reloads). */
  ADMIN_TOKEN: z.string().min(16).optional(),
  /** How often the reminder scheduler looks for what is due (seconds). */
  REMINDERS_TICK_SECONDS: z.coerce.number().int().min(1).max(3_600).default(60),
});

const envSchema = envFields.superRefine((env, ctx) => {
  // A Sentinel setup needs both: the Sentinels to ask, and the name of the master they watch.
  if (env.REDIS_SENTINELS !== undefined && env.REDIS_SENTINEL_NAME === undefined)
    ctx.addIssue({
      code: "custom",
      path: ["REDIS_SENTINEL_NAME"],
      message: "设置了 REDIS_SENTINELS，还须设置 REDIS_SENTINEL_NAME（Sentinel 监控的主节点名，如 mymaster）",
    });
  if (env.REDIS_SENTINEL_NAME !== undefined && env.REDIS_SENTINELS === undefined)
    ctx.addIssue({
      code: "custom",
      path: ["REDIS_SENTINELS"],
      message: "设置了 REDIS_SENTINEL_NAME，还须设置 REDIS_SENTINELS（host:port,host:port）",
    });
});

export type Config = z.infer<typeof envSchema>;

/** Reads and validates the environment; an invalid value names the variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const blanksRemoved = Object.fromEntries(
    Object.entries(env).filter(([, v]) => v !== undefined && v !== ""),
  );
  const result = envSchema.safeParse(blanksRemoved);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`配置错误：${issue?.path.join(".")}: ${issue?.message}`);
  }
  return result.data;
}

/** The LLM settings when all three are set; synthesis is off otherwise. */
export function llmSettings(config: Config): { baseUrl: string; apiKey: string; model: string } | undefined {
  const { LLM_BASE_URL: baseUrl, LLM_API_KEY: apiKey, LLM_MODEL: model } = config;
  return baseUrl && apiKey && model ? { baseUrl, apiKey, model } : undefined;
}

/**
 * The Redis settings every Redis-backed part takes (sessions, channel parts, reminders) and the deployment's key
 * prefix: Cluster nodes win over Sentinels, Sentinels over REDIS_URL; none set means memory.
 */
export function redisSettings(config: Config): {
  redisUrl: string | undefined;
  redisSentinels: Config["REDIS_SENTINELS"];
  redisSentinelName: string | undefined;
  redisClusterNodes: Config["REDIS_CLUSTER_NODES"];
  prefix: string;
} {
  return {
    redisUrl: config.REDIS_URL,
    redisSentinels: config.REDIS_SENTINELS,
    redisSentinelName: config.REDIS_SENTINEL_NAME,
    redisClusterNodes: config.REDIS_CLUSTER_NODES,
    prefix: config.REDIS_PREFIX,
  };
}
