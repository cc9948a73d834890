// The dialog's data files are validated at load: a bad lexicon or regions file names the file and the field.
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { DEFAULT_DIALOG_LEXICON, loadDialogLexicon } from "../../src/dialogs/dialog-lexicon.ts";
import { DEFAULT_REGIONS_FILE, loadRegions } from "../../src/shared/regions.ts";

const dir = mkdtempSync(join(tmpdir(), "zc-dialog-data-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

function variant(source: string, name: string, change: (data: Record<string, unknown>) => void): string {
  const data = JSON.parse(readFileSync(source, "utf8")) as Record<string, unknown>;
  change(data);
  const file = join(dir, name);
  writeFileSync(file, JSON.stringify(data));
  return file;
}

describe("dialog lexicon", () => {
  it("names the file and the field of a bad pattern", () => {
    const file = variant(DEFAULT_DIALOG_LEXICON, "bad-pattern.json", (d) => {
      (d.cues as Record<string, string>).question = "(unclosed";
    });
    expect(() => loadDialogLexicon(file)).toThrow(`${file}: cues.question: 不是合法的正则表达式`);
  });

  it("names the file and the field of a missing list", () => {
    const file = variant(DEFAULT_DIALOG_LEXICON, "missing.json", (d) => {
      delete d.education;
    });
    expect(() => loadDialogLexicon(file)).toThrow(/missing\.json: education: /);
  });
});

describe("regions file", () => {
  it("rejects a place that would select two regions", () => {
    const file = variant(DEFAULT_REGIONS_FILE, "twice.json", (d) => {
      const regions = d.regions as Array<{ places: string[] }>;
      regions[1]?.places.push(regions[0]?.places[0] ?? "");
    });
    expect(() => loadRegions(file)).toThrow(/地名 .+ 同时属于/);
  });

  it("rejects a malformed region id, naming the field", () => {
    const file = variant(DEFAULT_REGIONS_FILE, "bad-id.json", (d) => {
      (d.regions as Array<{ id: string }>)[0]!.id = "Bei Jing";
    });
    expect(() => loadRegions(file)).toThrow(/bad-id\.json: regions\.0\.id: /);
  });
});
