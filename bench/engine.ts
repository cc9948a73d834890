// Engine bench: our engine vs json-rules-engine on the Beijing senior rules, in process and as whole batch processes.
import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { loadKnowledgeBase } from "../src/knowledge/knowledge-base.ts";
import { assess } from "../src/rules/assess.ts";
import { loadRules } from "../src/rules/load-rules.ts";
import { generateProfiles, writeProfiles } from "./peers/gen-profiles.ts";
import { jreFacts, makeJreCriteriaEngine, makeJreEngine } from "./peers/jre-beijing-senior.ts";

const ROOT = fileURLToPath(new URL("..", import.meta.url));
const BATCH_SIZE = 100_000;

/** Runs `fn` over the profiles in rounds until `ms` elapse; returns evaluations per second. */
async function rate(count: number, ms: number, round: () => Promise<void> | void): Promise<number> {
  await round(); // warm-up
  let done = 0;
  const start = performance.now();
  while (performance.now() - start < ms) {
    await round();
    done += count;
  }
  return Math.round(done / ((performance.now() - start) / 1000));
}

/** Wall time (s) and peak RSS (MB) of a command, from GNU time; its stdout is streamed into `wc -l`, not kept. */
function measure(cmd: string, args: string[]): { seconds: number; peakRssMb: number; lines: number } {
  const dir = mkdtempSync(join(tmpdir(), "bench-engine-"));
  const timing = join(dir, "time.txt");
  try {
    const count = execFileSync(
      "sh",
      ["-c", `/usr/bin/time -f "%e %M" -o "${timing}" "$@" | wc -l`, "sh", cmd, ...args],
      {
        cwd: ROOT,
        encoding: "utf8",
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const [seconds, kb] = readFileSync(timing, "utf8").trim().split(/\s+/).slice(-2).map(Number);
    return {
      seconds: seconds ?? NaN,
      peakRssMb: Math.round((kb ?? NaN) / 1024),
      lines: Number(count.trim()),
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Measured figures of the engine beside json-rules-engine (see the measured goals). */
export async function benchEngine(): Promise<Record<string, unknown>> {
  const kb = loadKnowledgeBase(join(ROOT, "knowledge/notices"));
  const book = loadRules(join(ROOT, "knowledge/rules"), kb);
  const profiles = generateProfiles(5_000, 7);
  const engine = makeJreEngine();

  // Both sides agree wherever our engine reaches a two-valued verdict (sanity, not a timing).
  let agree = 0;
  let compared = 0;
  for (const p of profiles.slice(0, 2_000)) {
    const ours = assess(book, p, p.asOf).report.verdict;
    if (ours === "undetermined") continue;
    const { events } = await engine.run(jreFacts(p, p.asOf));
    compared++;
    if (events.length > 0 === (ours === "eligible")) agree++;
  }

  const ourRate = await rate(profiles.length, 1500, () => {
    for (const p of profiles) assess(book, p, p.asOf);
  });
  const jreRate = await rate(profiles.length, 1500, async () => {
    for (const p of profiles) await engine.run(jreFacts(p, p.asOf));
  });
  // The peer's batch form: one rule per criterion, so it can report each criterion's status.
  const criteriaEngine = makeJreCriteriaEngine();
  const jreCriteriaRate = await rate(profiles.length, 1500, async () => {
    for (const p of profiles) await criteriaEngine.run(jreFacts(p, p.asOf));
  });

  const dir = mkdtempSync(join(tmpdir(), "bench-profiles-"));
  const file = join(dir, "profiles.jsonl");
  let wholeProcess: Record<string, unknown>;
  try {
    await writeProfiles(file, BATCH_SIZE, 42);
    const ours = measure("npm", ["run", "--silent", "cli", "--", "check", "--batch", file, "--json"]);
    const peer = measure("npx", ["--no-install", "tsx", "bench/peers/jre-batch.ts", file]);
    // The same two jobs without the npm/npx launchers (node + tsx loader directly), and our bare start-up.
    const oursDirect = measure("node", [
      "--import",
      "tsx",
      "src/main.ts",
      "check",
      "--batch",
      file,
      "--json",
    ]);
    const peerDirect = measure("node", ["--import", "tsx", "bench/peers/jre-batch.ts", file]);
    const startup = measure("npm", ["run", "--silent", "cli", "--", "help"]);
    wholeProcess = {
      profiles: BATCH_SIZE,
      ours: { command: "npm run cli -- check --batch FILE --json", ...ours },
      jsonRulesEngine: {
        command: "tsx bench/peers/jre-batch.ts FILE",
        writes:
          "id, verdict, every criterion {id, description, status, citation} and assumptions (same citation objects); validates with the same zod schema",
        ...peer,
      },
      speedup: Number((peer.seconds / ours.seconds).toFixed(2)),
      direct: {
        ours: { command: "node --import tsx src/main.ts check --batch FILE --json", ...oursDirect },
        jsonRulesEngine: { command: "node --import tsx bench/peers/jre-batch.ts FILE", ...peerDirect },
        speedup: Number((peerDirect.seconds / oursDirect.seconds).toFixed(2)),
      },
      oursStartup: { command: "npm run cli -- help", ...startup },
      goals: { speedup: 5, peakRssMb: 200 },
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }

  return {
    inProcess: {
      rules:
        "beijing senior (knowledge/rules/beijing/senior.yaml; hand-written peer in bench/peers/jre-beijing-senior.ts)",
      oursEvaluationsPerSecond: ourRate,
      oursOutput:
        "full report: criteria with citations, missing, sourcesNotHeld, assumptions, earliestEligible, deadlines (no trace: built only when asked)",
      jsonRulesEngineEvaluationsPerSecond: jreRate,
      jsonRulesEngineOutput: "eligible event or none (two-valued)",
      ratio: Number((ourRate / jreRate).toFixed(1)),
      jsonRulesEnginePerCriterionEvaluationsPerSecond: jreCriteriaRate,
      jsonRulesEnginePerCriterionOutput:
        "one event per met criterion (what the batch peer needs for its report)",
      ratioPerCriterion: Number((ourRate / jreCriteriaRate).toFixed(1)),
      goal: 20,
      verdictAgreement: `${agree}/${compared}`,
    },
    wholeProcess,
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  process.stdout.write(`${JSON.stringify(await benchEngine(), null, 2)}\n`);
}
