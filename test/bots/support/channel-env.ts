// What a channel test runs on: the real chat turn (services and store as main.ts builds them) with the group rules,
// the channels' Redis parts under a unique prefix, and a logger that keeps its lines.
import { chatTurn, type ChatTurnDeps } from "../../../src/app/chat-turn.ts";
import { createChannelPrimitives, type ChannelPrimitives } from "../../../src/app/channel-primitives.ts";
import { withGroupPolicy, type ChatTurnFn } from "../../../src/app/group-policy.ts";
import type { ChannelDeps, ChannelLogger } from "../../../src/bots/channel-adapter.ts";
import { loadConfig } from "../../../src/config.ts";
import { createChat, createServices } from "../../../src/main.ts";
import { fixedClock, systemClock, type Clock } from "../../../src/shared/clock.ts";

/** The dialog's day in every channel test (2024-08-15 in Shanghai), as the dialog and system tests use. */
export const TEST_CLOCK: Clock = fixedClock("2024-08-15T04:00:00Z");
export const TEST_AS_OF = "2024-08-15";

type Services = Awaited<ReturnType<typeof createServices>>;

let shared: Promise<Services> | undefined;

/** The notices, index and rules, built once per test process. */
export function sharedServices(): Promise<Services> {
  shared ??= createServices(loadConfig({}), TEST_CLOCK).then((s) => {
    s.prepare();
    return s;
  });
  return shared;
}

/** A logger that keeps every line (channels never log message text; tests read the lines). */
export function memoryLogger(): ChannelLogger & { lines: string[] } {
  const lines: string[] = [];
  return {
    lines,
    info: (l) => lines.push(`info ${l}`),
    warn: (l) => lines.push(`warn ${l}`),
    error: (l) => lines.push(`error ${l}`),
  };
}

export interface ChannelEnv {
  deps: ChannelDeps & { log: ReturnType<typeof memoryLogger> };
  services: Services;
  chat: ChatTurnDeps;
  primitives: ChannelPrimitives;
  close(): Promise<void>;
}

/**
 * The deps `startChannels` gets from the composition root, on `redisUrl` under `prefix`. `turn` replaces the
 * real chat turn (e.g. to produce an answer longer than any the dialog gives).
 */
export async function channelEnv(opts: {
  redisUrl: string;
  prefix: string;
  turn?: ChatTurnFn;
}): Promise<ChannelEnv> {
  const base = await sharedServices();
  const services = { ...base, config: loadConfig({ REDIS_URL: opts.redisUrl, REDIS_PREFIX: opts.prefix }) };
  const chat = await createChat(services);
  const log = memoryLogger();
  const primitives = createChannelPrimitives({
    redisUrl: opts.redisUrl,
    prefix: opts.prefix,
    clock: systemClock,
  });
  await primitives.ready();
  const turn = opts.turn ?? withGroupPolicy((m) => chatTurn(m, chat), TEST_CLOCK);
  return {
    deps: { turn, log, clock: systemClock, ...primitives },
    services,
    chat,
    primitives,
    close: async () => {
      await primitives.close();
      await chat.store.close();
    },
  };
}
