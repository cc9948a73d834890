// HTTP throughput of POST /api/chat through Fastify beside a bare node:http handler calling the same chat turn
// (the framework's cost), and of GET /api/ask, under autocannon.
import { spawn } from "node:child_process";
import { once } from "node:events";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { loadavg } from "node:os";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { CONNECTIONS, DURATION_S, USERS, WARM_UP_S } from "./http-load-client.ts";
import { loadConfig } from "../src/config.ts";
import { createChat, createServices } from "../src/main.ts";
import { chatTurn } from "../src/app/chat-turn.ts";
import { createHttpServer, httpSettings } from "../src/http/http-server.ts";
import type { ChatHandler } from "../src/http/chat-route.ts";
import type { ChatOutcome } from "../src/shared/chat.ts";
import { fixedClock } from "../src/shared/clock.ts";

/** Measured runs per side, alternating which side goes first. */
const ROUNDS = 3;
/** The framework's throughput as a share of the bare handler's that the issue asks for. */
const GOAL_RATIO = 0.85;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

interface Figures {
  requestsPerSecond: number;
  latencyP50Ms: number;
  latencyP99Ms: number;
  /** CPU time of the server's process (user + system) per request: the neighbours' load disturbs it less. */
  serverCpuMicrosPerRequest: number;
  errors: number;
}

const CLIENT = fileURLToPath(new URL("./http-load-client.ts", import.meta.url));

/**
 * Runs the load generator in its own process against `url` (so this process is only the server) and counts this
 * process's CPU time during the measured part.
 */
async function load(kind: "chat" | "ask", url: string, run: string): Promise<Figures> {
  const child = spawn(process.execPath, ["--import", "tsx", CLIENT, kind, url, run], {
    stdio: ["ignore", "pipe", "inherit"],
  });
  let cpu: NodeJS.CpuUsage | undefined;
  let used: NodeJS.CpuUsage | undefined;
  let result: Omit<Figures, "serverCpuMicrosPerRequest"> & { total: number } = {
    requestsPerSecond: 0,
    total: 0,
    latencyP50Ms: 0,
    latencyP99Ms: 0,
    errors: 0,
  };
  for await (const line of createInterface({ input: child.stdout })) {
    if (line === "measuring") cpu = process.cpuUsage();
    else {
      used = cpu && process.cpuUsage(cpu);
      result = JSON.parse(line) as typeof result;
    }
  }
  const [code] = (await once(child, "exit")) as [number | null];
  if (code !== 0 || used === undefined) throw new Error(`load client exited with ${code}`);
  const { total, ...figures } = result;
  return {
    ...figures,
    serverCpuMicrosPerRequest: Math.round((used.user + used.system) / Math.max(1, total)),
  };
}

const STATUS: Record<ChatOutcome["status"], number> = {
  answered: 200,
  duplicate: 200,
  pending: 202,
  "rate-limited": 429,
  busy: 503,
};

/**
 * The peer: node:http with no framework, the same chat turn, the same response shapes and statuses, and no
 * more checking than it takes not to crash (a string user and text): what the framework's validation, hooks,
 * access and rate limit cost is the difference.
 */
function bareChatServer(chat: ChatHandler): Server {
  const answer = (res: ServerResponse, status: number, body: unknown) => {
    res.writeHead(status, { "content-type": "application/json; charset=utf-8" });
    res.end(JSON.stringify(body));
  };
  return createServer((req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    req.on("data", (chunk: Buffer) => chunks.push(chunk));
    req.on("end", () => {
      let body: { user?: unknown; text?: unknown };
      try {
        body = JSON.parse(Buffer.concat(chunks).toString("utf8")) as typeof body;
      } catch {
        return answer(res, 400, { error: { code: "invalid_json", message: "invalid JSON" } });
      }
      if (typeof body.user !== "string" || typeof body.text !== "string")
        return answer(res, 400, { error: { code: "invalid_request", message: "user and text" } });
      chat({ channel: "web", user: body.user, text: body.text }).then(
        (outcome) => answer(res, STATUS[outcome.status], { replies: outcome.replies }),
        () => answer(res, 500, { error: { code: "internal_error", message: "failed" } }),
      );
    });
  });
}

/** Median of the runs (the middle one for an odd count). */
function median(xs: number[]): number {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)] ?? 0;
}

export async function benchHttp(): Promise<Record<string, unknown>> {
  // Other work on the machine lowers both sides' throughput unevenly; the load average says how busy it was.
  const loadAtStart = loadavg().map((x) => Math.round(x * 100) / 100);
  // Rate limits would turn the load test into a test of the limiters: lifted for the bench only.
  const config = loadConfig({ RATE_LIMIT_PER_MINUTE: "100000000", HTTP_RATE_LIMIT_PER_MINUTE: "100000000" });
  const services = await createServices(config, fixedClock("2024-09-01T04:00:00Z"));
  services.prepare(); // as `serve` does
  const chat = await createChat(services);
  const turn: ChatHandler = (m) => chatTurn(m, chat);

  const framework = createHttpServer(
    { services, chat: turn },
    httpSettings(config, { requestLogging: false }),
  );
  const frameworkUrl = `http://127.0.0.1:${(await framework.listen(0, "127.0.0.1")).port}`;
  const bare = bareChatServer(turn);
  const bareUrl = await listen(bare);

  // Rounds in alternating orders, so neither side always runs on the warmer process or the quieter machine.
  const runs: Record<"fastify" | "bare", Figures[]> = { fastify: [], bare: [] };
  for (let round = 0; round < ROUNDS; round++) {
    const sides = round % 2 === 0 ? (["fastify", "bare"] as const) : (["bare", "fastify"] as const);
    for (const side of sides)
      runs[side].push(await load("chat", side === "fastify" ? frameworkUrl : bareUrl, `${side}${round}`));
  }
  const summary = (figures: Figures[]) => ({
    requestsPerSecond: median(figures.map((f) => f.requestsPerSecond)),
    latencyP99Ms: median(figures.map((f) => f.latencyP99Ms)),
    serverCpuMicrosPerRequest: median(figures.map((f) => f.serverCpuMicrosPerRequest)),
    errors: figures.reduce((a, f) => a + f.errors, 0),
    runs: figures,
  });
  const fastify = summary(runs.fastify);
  const bareFigures = summary(runs.bare);
  const round3 = (x: number) => Math.round(x * 1000) / 1000;
  const ratio = round3(fastify.requestsPerSecond / bareFigures.requestsPerSecond);
  // The same ratio from CPU time: the bare handler's CPU per request over the framework's.
  const cpuRatio = round3(bareFigures.serverCpuMicrosPerRequest / fastify.serverCpuMicrosPerRequest);

  const askFigures = await load("ask", frameworkUrl, "ask");
  await framework.shutdown(1_000);
  await new Promise<void>((resolve) => bare.close(() => resolve()));
  await chat.store.close();
  return {
    loadAverageAtStart: loadAtStart,
    loadGenerator: `autocannon in a process of its own (bench/http-load-client.ts), ${CONNECTIONS} connections, ${DURATION_S} s each after ${WARM_UP_S} s of warm-up; request logging off; CPU counted in the server's process only`,
    chat: {
      route: `POST /api/chat, ${USERS.toLocaleString("en")} users, in-memory sessions, ${ROUNDS} runs per side in alternating order, medians`,
      fastify,
      bare: { name: "node:http, no framework, the same chat turn", ...bareFigures },
      ratio,
      cpuRatio,
      goal: { ratio: GOAL_RATIO, met: ratio >= GOAL_RATIO },
    },
    ask: { route: "GET /api/ask (Fastify)", ...askFigures },
  };
}
