// Console bench: the server time of a clause search as the web console asks it (GET /api/clauses?limit=100), over
// every question of test/retrieval/questions*.jsonl and the first half of each (what a search as you type sends
// mid-sentence). Two figures: the lookup itself, and the whole route through Fastify (hooks, validation, rate
// limit, serialisation) by inject, without a network. Goal: p99 < 5 ms.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { performance } from "node:perf_hooks";
import { loadConfig } from "../src/config.ts";
import { createServices } from "../src/main.ts";
import { createHttpServer, httpSettings } from "../src/http/http-server.ts";
import { fixedClock } from "../src/shared/clock.ts";
import { latencySummary } from "./latency.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const LIMIT = 100;
const GOAL_P99_MS = 5;
/** Passes over the queries; the first is a warm-up (JIT, first collections) and not counted. */
const PASSES = 4;

function queries(): string[] {
  const dir = `${ROOT}test/retrieval/`;
  const questions = readdirSync(dir)
    .filter((f) => /^questions.*\.jsonl$/.test(f))
    .sort()
    .flatMap((f) =>
      readFileSync(`${dir}${f}`, "utf8")
        .split("\n")
        .filter((l) => l.trim() !== "")
        .map((l) => (JSON.parse(l) as { q: string }).q),
    );
  return questions.flatMap((q) => [q, q.slice(0, Math.ceil(q.length / 2))]).filter((q) => q.trim() !== "");
}

export async function benchConsole(): Promise<Record<string, unknown>> {
  const config = loadConfig({ HTTP_RATE_LIMIT_PER_MINUTE: "100000000" });
  const services = await createServices(config, fixedClock("2024-09-01T04:00:00Z"), ["retrieval", "rules"]);
  services.prepare();
  const server = createHttpServer({ services }, httpSettings(config, { requestLogging: false }));
  await server.app.ready();
  const qs = queries();

  const lookup: number[] = [];
  const route: number[] = [];
  for (let pass = 0; pass < PASSES; pass++) {
    for (const q of qs) {
      const t0 = performance.now();
      services.clauses(q, LIMIT);
      const t1 = performance.now();
      const res = await server.app.inject({
        method: "GET",
        url: `/api/clauses?limit=${LIMIT}&q=${encodeURIComponent(q)}`,
      });
      const t2 = performance.now();
      if (res.statusCode !== 200) throw new Error(`GET /api/clauses answered ${res.statusCode} for ${q}`);
      if (pass === 0) continue;
      lookup.push(t1 - t0);
      route.push(t2 - t1);
    }
  }
  await server.app.close();
  const routeMs = latencySummary(route, 3);
  return {
    queries: qs.length,
    samplesPerFigure: lookup.length,
    limit: LIMIT,
    lookupMs: latencySummary(lookup, 3),
    routeMs,
    goalP99Ms: GOAL_P99_MS,
    meetsGoal: routeMs.p99 < GOAL_P99_MS,
  };
}
