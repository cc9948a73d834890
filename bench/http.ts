// HTTP throughput of /api/chat and /api/ask under autocannon, beside a bare node:http server (the ceiling).
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import autocannon from "autocannon";
import { loadConfig } from "../src/config.ts";
import { createChat, createServices } from "../src/main.ts";
import { chatTurn } from "../src/app/chat-turn.ts";
import { createHttpServer } from "../src/http/http-server.ts";
import { fixedClock } from "../src/shared/clock.ts";

const DURATION_S = 8;
// Load before each measured run, not counted: JIT compilation and the first collections happen here.
const WARM_UP_S = 2;
const CONNECTIONS = 50;

async function listen(server: Server): Promise<string> {
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

async function load(opts: autocannon.Options): Promise<Record<string, number>> {
  await autocannon({ duration: WARM_UP_S, connections: CONNECTIONS, ...opts });
  const r = await autocannon({ duration: DURATION_S, connections: CONNECTIONS, ...opts });
  return {
    requestsPerSecond: Math.round(r.requests.average),
    latencyP50Ms: r.latency.p50,
    latencyP99Ms: r.latency.p99,
    errors: r.errors + r.non2xx,
  };
}

const CHAT_LINES = [
  "北京，硕士，2019年7月毕业，一直做AI，能评高工吗",
  "国企",
  "有3篇论文",
  "满足",
  "公示几天？",
  "/help",
];

export async function benchHttp(): Promise<Record<string, unknown>> {
  // A rate limit would turn the load test into a test of the limiter: lift it for the bench only.
  const config = loadConfig({ RATE_LIMIT_PER_MINUTE: "100000000" });
  const services = await createServices(config, fixedClock("2024-09-01T04:00:00Z"));
  services.prepare(); // as `serve` does
  const chat = await createChat(services);
  const server = createHttpServer({ services, chat: (m) => chatTurn({ channel: "bench", ...m }, chat) });
  const url = await listen(server);
  let n = 0;
  const chatFigures = await load({
    url: `${url}/api/chat`,
    method: "POST",
    headers: { "content-type": "application/json" },
    setupClient: (client) => {
      client.setBody(JSON.stringify({ user: "warm", text: "/help" }));
    },
    requests: [
      {
        setupRequest: (req) => {
          n += 1;
          const user = `u${n % 1000}`;
          const text = CHAT_LINES[Math.floor(n / 1000) % CHAT_LINES.length] ?? "/help";
          return { ...req, body: JSON.stringify({ user, text }) };
        },
      },
    ],
  });
  const askFigures = await load({
    url: `${url}/api/ask?q=${encodeURIComponent("巴中职称网上申报什么时候截止")}`,
  });
  server.close();
  await chat.store.close();

  const bare = createServer((_req, res) => {
    res.writeHead(200, { "content-type": "application/json" });
    res.end('{"replies":[{"text":"ok"}]}');
  });
  const bareUrl = await listen(bare);
  const bareFigures = await load({ url: bareUrl });
  bare.close();
  return {
    loadGenerator: `autocannon in the server's process, ${CONNECTIONS} connections, ${DURATION_S} s each after ${WARM_UP_S} s of warm-up`,
    chat: { route: "POST /api/chat, 1,000 users, in-memory sessions", ...chatFigures },
    ask: { route: "GET /api/ask", ...askFigures },
    peer: { name: "bare node:http returning a fixed JSON body (ceiling)", ...bareFigures },
  };
}
