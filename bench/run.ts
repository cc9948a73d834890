// `npm run bench`: every measured figure of the project beside its named peer, in one run, as JSON.
// Each section runs in a process of its own (same Node flags), so one section's heap — the 100× corpus, a
// million engine reports — cannot lengthen the garbage-collection pauses another section measures.
import { execFile } from "node:child_process";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

type Section = () => Promise<Record<string, unknown>>;

// Loaded only in the section's own process.
const sections: Record<string, () => Promise<Section>> = {
  retrieval: async () => (await import("./retrieval.ts")).benchRetrieval,
  engine: async () => (await import("./engine.ts")).benchEngine,
  sessions: async () => (await import("./sessions.ts")).benchSessions,
  chat: async () => (await import("./chat.ts")).benchChat,
  http: async () => (await import("./http.ts")).benchHttp,
  nlu: async () => (await import("./nlu.ts")).benchNlu,
  hr: async () => (await import("./hr.ts")).benchHr,
  console: async () => (await import("./console.ts")).benchConsole,
  channels: async () => (await import("./channels.ts")).benchChannels,
  reminders: async () => (await import("./reminders.ts")).benchReminders,
};

const args = process.argv.slice(2);
if (args[0] === "--section") {
  // The child: one section, its JSON on stdout.
  const load = sections[args[1] ?? ""];
  if (!load) throw new Error(`no bench section ${args[1]}`);
  process.stdout.write(JSON.stringify(await (await load())()));
} else {
  const unknown = args.filter((name) => !(name in sections));
  if (unknown.length > 0) {
    process.stderr.write(
      `unknown bench section(s): ${unknown.join(", ")}; known: ${Object.keys(sections).join(", ")}\n`,
    );
    process.exit(2);
  }
  const report: Record<string, unknown> = {
    machine: { node: process.version, platform: process.platform, arch: process.arch },
  };
  for (const name of Object.keys(sections)) {
    if (args.length > 0 && !args.includes(name)) continue;
    process.stderr.write(`bench: ${name}…\n`);
    try {
      const { stdout } = await promisify(execFile)(
        process.execPath,
        [...process.execArgv, fileURLToPath(import.meta.url), "--section", name],
        { maxBuffer: 64 * 1024 * 1024 },
      );
      report[name] = JSON.parse(stdout) as unknown;
    } catch (err) {
      const stderr = (err as { stderr?: string }).stderr?.trim();
      report[name] = { error: stderr || (err instanceof Error ? err.message : String(err)) };
      process.exitCode = 1;
    }
  }
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}
