// The peer of `check --batch`: reads JSON Lines, validates each profile (the same zod schema), computes
// years, evaluates the Beijing senior rules with json-rules-engine (one rule per criterion) and writes a
// report line: id, verdict, every criterion with its status and full citation, and the cited assumptions,
// as ours does (it leaves out what a two-valued engine cannot say: missing facts, earliest month).
import { createReadStream } from "node:fs";
import { join } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { loadKnowledgeBase } from "../../src/knowledge/knowledge-base.ts";
import { profileSchema } from "../../src/shared/profile.ts";
import { loadRules } from "../../src/rules/load-rules.ts";
import { CRITERIA, GATE, jreFacts, makeJreCriteriaEngine } from "./jre-beijing-senior.ts";

const file = process.argv[2];
if (!file) throw new Error("usage: jre-batch.ts FILE");
const ROOT = fileURLToPath(new URL("../..", import.meta.url));
// The citations are the rule file's own (loaded once), so both sides write the same clause texts.
const rs = loadRules(join(ROOT, "knowledge/rules"), loadKnowledgeBase(join(ROOT, "knowledge/notices")))
  .byScope.get("beijing/senior")
  ?.at(-1);
if (!rs) throw new Error("no beijing/senior rules");
const meta = CRITERIA.map((c) => {
  const found = rs.criteria.find((x) => x.id === c.id);
  if (!found) throw new Error(`criterion ${c.id} not in the rule file`);
  return { id: c.id, description: found.description, citation: found.citation };
});
const paths = CRITERIA.map((c) => c.id).filter((id) => !GATE.includes(id));

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
  const raw: unknown = JSON.parse(line);
  const parsed = profileSchema.safeParse(raw);
  let out: unknown;
  if (!parsed.success) {
    out = { error: { code: "invalid_profile", message: parsed.error.issues[0]?.message ?? "" } };
  } else {
    const p = parsed.data;
    const { events } = await engine.run(jreFacts(p, p.asOf ?? "2024-12-31"));
    const met = new Set(events.map((e) => e.type));
    const verdict =
      GATE.every((id) => met.has(id)) && paths.some((id) => met.has(id)) ? "eligible" : "ineligible";
    out = {
      id: p.id,
      verdict,
      criteria: meta.map((m) => ({
        id: m.id,
        description: m.description,
        status: met.has(m.id) ? "met" : "unmet",
        citation: m.citation,
      })),
      assumptions: rs.assumptions,
    };
  }
  buffer.push(`${JSON.stringify(out)}\n`);
  if (buffer.length >= 1000) await flush();
}
await flush();
