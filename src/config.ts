// The one module that reads process.env: every setting, with its default, validated by zod.
import { fileURLToPath } from "node:url";
import { z } from "zod";

const PROJECT_ROOT = fileURLToPath(new URL("..", import.meta.url));

const envSchema = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(3000),
  HOST: z.string().default("127.0.0.1"),
  REDIS_URL: z.string().url().optional(),
  /** Key prefix in Redis, one per deployment sharing a server. */
  REDIS_PREFIX: z.string().min(1).default("zc:"),
  SESSION_TTL_DAYS: z.coerce.number().positive().default(30),
  RATE_LIMIT_PER_MINUTE: z.coerce.number().int().positive().default(30),
  KNOWLEDGE_DIR: z.string().default(`${PROJECT_ROOT}knowledge`),
  LLM_BASE_URL: z.string().url().optional(),
  LLM_API_KEY: z.string().optional(),
  LLM_MODEL: z.string().optional(),
  LLM_TIMEOUT_MS: z.coerce.number().int().positive().default(15_000),
  TELEGRAM_BOT_TOKEN: z.string().optional(),
  TELEGRAM_API_ROOT: z.string().url().optional(),
  DINGTALK_CLIENT_ID: z.string().optional(),
  DINGTALK_CLIENT_SECRET: z.string().optional(),
  WECHAT_TOKEN: z.string().optional(),
  WECHAT_APP_ID: z.string().optional(),
  WECHAT_ENCODING_AES_KEY: z.string().optional(),
  LOG_LEVEL: z.enum(["debug", "info", "warn", "error", "silent"]).default("info"),
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
