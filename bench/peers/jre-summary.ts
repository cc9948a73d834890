// The peer of `check --batch FILE --summary`: reads JSON Lines, validates each profile (the same zod schema),
// evaluates the Beijing senior rules with json-rules-engine (one rule per criterion) and writes one short line:
// id, verdict and the unmet criterion ids — the verdict-per-line job HR asks for, without citations.
import { createReadStream } from "node:fs";
import { createInterface } from "node:readline";
import { profileSchema } from "../../src/shared/profile.ts";
import { CRITERIA, GATE, jreFacts, makeJreCriteriaEngine } from "./jre-beijing-senior.ts";

const file = process.argv[2];
if (!file) throw new Error("usage: jre-summary.ts FILE");
const ids = CRITERIA.map((c) => c.id);
const paths = ids.filter((id) => !GATE.includes(id));

const engine = makeJreCriteriaEngine();
const lines = createInterface({ input: createReadStream(file, { encoding: "utf8" }), crlfDelay: Infinity });
let buffer: string[] = [];
const flush = async () => {
  if (!process.stdout.write(buffer.join("")))
    await new Promise<void>((ok) => process.stdout.once("drain", ok));
  buffer = [];
};
for await (const line of lines) {
  if (!line.trim()) continue;
  const parsed = profileSchema.safeParse(JSON.parse(line));
  let out: unknown;
  if (!parsed.success) {
    out = { error: { code: "invalid_profile", message: parsed.error.issues[0]?.message ?? "" } };
  } else {
    const p = parsed.data;
    const { events } = await engine.run(jreFacts(p, p.asOf ?? "2024-12-31"));
    const met = new Set(events.map((e) => e.type));
    const verdict =
      GATE.every((id) => met.has(id)) && paths.some((id) => met.has(id)) ? "eligible" : "ineligible";
    out = { id: p.id, verdict, unmet: ids.filter((id) => !met.has(id)) };
  }
  buffer.push(`${JSON.stringify(out)}\n`);
  if (buffer.length >= 1000) await flush();
}
await flush();
