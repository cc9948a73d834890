// The load generator of the http bench, in a process of its own so that the server's process measures only the
// server: `http-load-client.ts <chat|ask> <url> <run>`. Prints "measuring" when the warm-up is over, then one JSON
// line of figures.
import { pathToFileURL } from "node:url";
import autocannon from "autocannon";

export const DURATION_S = 8;
// Load before each measured run, not counted: JIT compilation and the first collections happen here.
export const WARM_UP_S = 2;
export const CONNECTIONS = 50;
export const USERS = 1_000;

const CHAT_LINES = [
  "北京，硕士，2019年7月毕业，一直做AI，能评高工吗",
  "国企",
  "有3篇论文",
  "满足",
  "公示几天？",
  "/help",
];

/** POST /api/chat from 1,000 users of their own (`run` keeps runs apart), each message the next line. */
function chatLoad(url: string, run: string): autocannon.Options {
  let n = 0;
  return {
    url: `${url}/api/chat`,
    method: "POST",
    headers: { "content-type": "application/json" },
    requests: [
      {
        setupRequest: (req) => {
          n += 1;
          const user = `${run}-u${n % USERS}`;
          const text = CHAT_LINES[Math.floor(n / USERS) % CHAT_LINES.length] ?? "/help";
          return { ...req, body: JSON.stringify({ user, text }) };
        },
      },
    ],
  };
}

const askLoad = (url: string): autocannon.Options => ({
  url: `${url}/api/ask?q=${encodeURIComponent("巴中职称网上申报什么时候截止")}`,
});

/** Warms up, says "measuring", measures, prints the figures. */
async function main(args: string[]): Promise<void> {
  const [kind, url, run = "r"] = args;
  if (!url || (kind !== "chat" && kind !== "ask"))
    throw new Error("usage: http-load-client.ts <chat|ask> <url> <run>");
  const opts = kind === "chat" ? chatLoad(url, run) : askLoad(url);
  await autocannon({ duration: WARM_UP_S, connections: CONNECTIONS, ...opts });
  process.stdout.write("measuring\n");
  const r = await autocannon({ duration: DURATION_S, connections: CONNECTIONS, ...opts });
  process.stdout.write(
    `${JSON.stringify({
      requestsPerSecond: Math.round(r.requests.average),
      total: r.requests.total,
      latencyP50Ms: r.latency.p50,
      latencyP99Ms: r.latency.p99,
      errors: r.errors + r.non2xx,
    })}\n`,
  );
}

const isEntry = process.argv[1] !== undefined && import.meta.url === pathToFileURL(process.argv[1]).href;
if (isEntry) await main(process.argv.slice(2));
