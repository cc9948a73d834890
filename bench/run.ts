// `npm run bench`: every measured figure of the project beside its named peer, in one run, as JSON.
import { benchRetrieval } from "./retrieval.ts";
import { benchEngine } from "./engine.ts";
import { benchSessions } from "./sessions.ts";
import { benchHttp } from "./http.ts";
import { benchChat } from "./chat.ts";

const sections: Array<[string, () => Promise<Record<string, unknown>>]> = [
  ["retrieval", benchRetrieval],
  ["engine", benchEngine],
  ["sessions", benchSessions],
  ["chat", benchChat],
  ["http", benchHttp],
];

const only = process.argv.slice(2);
const report: Record<string, unknown> = {
  machine: { node: process.version, platform: process.platform, arch: process.arch },
};
for (const [name, bench] of sections) {
  if (only.length && !only.includes(name)) continue;
  process.stderr.write(`bench: ${name}…\n`);
  try {
    report[name] = await bench();
  } catch (err) {
    report[name] = { error: err instanceof Error ? err.message : String(err) };
    process.exitCode = 1;
  }
}
process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
