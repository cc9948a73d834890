// The peer of `check --batch`: json-rules-engine reading JSON Lines, computing years, evaluating, writing a line each.
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import type { Profile } from "../../src/shared/profile.ts";
import { jreFacts, makeJreEngine } from "./jre-beijing-senior.ts";

const file = process.argv[2];
if (!file) throw new Error("usage: jre-batch.ts FILE");
const engine = makeJreEngine();
const lines = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
let buffer: string[] = [];
const flush = async () => {
  if (!process.stdout.write(buffer.join("")))
    await new Promise<void>((ok) => process.stdout.once("drain", ok));
  buffer = [];
};
for await (const line of lines) {
  if (!line.trim()) continue;
  const p = JSON.parse(line) as Profile & { asOf: string };
  const { events } = await engine.run(jreFacts(p, p.asOf));
  buffer.push(`${JSON.stringify({ id: p.id, verdict: events.length ? "eligible" : "ineligible" })}\n`);
  if (buffer.length >= 1000) await flush();
}
await flush();
