// The console's browser modules (src/http/public/*.mjs) are linted by `npm run lint` (eslint.config.js's browser
// block: browser globals, no type-aware rules, no HTML sinks). This file checks what that lint cannot: that the
// block still covers every module and refuses what it is there to refuse, that the entry loads every module, and
// that every element id a module looks up is in the page.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { ESLint } from "eslint";
import { describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../../", import.meta.url));
const PUBLIC = `${ROOT}src/http/public/`;
const modules = readdirSync(PUBLIC).filter((f) => f.endsWith(".mjs"));
const source = (file: string) => readFileSync(`${PUBLIC}${file}`, "utf8");

const eslint = new ESLint({ cwd: ROOT });
/** Lints `code` as if it were a module of the console (a file that does not exist). */
async function lintAsModule(code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${PUBLIC}lint-probe.mjs` });
  return (result?.messages ?? []).map((m) => `${m.line}:${m.ruleId ?? "fatal"} ${m.message}`);
}

describe("the console's browser modules", () => {
  it("are all there", () => {
    expect(modules).toEqual(
      expect.arrayContaining([
        "console.mjs",
        "console-core.mjs",
        "console-chat.mjs",
        "console-clauses.mjs",
        "console-check.mjs",
        "console-deadlines.mjs",
        "console-hr.mjs",
      ]),
    );
  });

  it.each(modules)("%s is linted by npm run lint, with the browser rules", async (file) => {
    expect(await eslint.isPathIgnored(`${PUBLIC}${file}`)).toBe(false);
    const config = (await eslint.calculateConfigForFile(`${PUBLIC}${file}`)) as {
      rules: Record<string, unknown>;
    };
    for (const rule of ["no-undef", "no-restricted-properties", "@typescript-eslint/no-unused-vars"])
      expect([rule, config.rules[rule]]).toEqual([rule, expect.arrayContaining([2])]);
  });

  it("lint refuses HTML sinks, undefined names and dead variables, and accepts the browser's globals", async () => {
    const refused = await lintAsModule(
      [
        'const node = document.getElementById("x");',
        "node.innerHTML = location.hash;",
        'node.insertAdjacentHTML("beforeend", "<b>");',
        'document.write("<p>");',
        "const unused = 1;",
        "export const outer = node.outerHTML;",
        "",
      ].join("\n"),
    );
    expect(refused).toEqual([
      expect.stringMatching(/^2:no-restricted-properties 'innerHTML'/),
      expect.stringMatching(/^2:no-undef 'location'/),
      expect.stringMatching(/^3:no-restricted-properties 'insertAdjacentHTML'/),
      expect.stringMatching(/^4:no-restricted-properties 'document.write'/),
      expect.stringMatching(/^5:@typescript-eslint\/no-unused-vars 'unused'/),
      expect.stringMatching(/^6:no-restricted-properties 'outerHTML'/),
    ]);
    const accepted = await lintAsModule(
      [
        "export function probe(file) {",
        "  const xhr = new XMLHttpRequest();",
        "  const url = URL.createObjectURL(new Blob([file]));",
        '  document.body.textContent = sessionStorage.getItem("k") ?? url;',
        "  return xhr;",
        "}",
        "",
      ].join("\n"),
    );
    expect(accepted).toEqual([]);
  });

  it("are all loaded by the entry, console.mjs", () => {
    const imported = [...source("console.mjs").matchAll(/from "\.\/([^"]+\.mjs)"/gu)].map((m) => m[1]);
    const imports = new Set(
      modules.flatMap((f) => [...source(f).matchAll(/from "\.\/([^"]+\.mjs)"/gu)].map((m) => m[1])),
    );
    for (const file of modules.filter((f) => f !== "console.mjs"))
      expect([file, imported.includes(file) || imports.has(file)]).toEqual([file, true]);
    expect(imported).toContain("console-hr.mjs");
  });

  it("look up only elements the page has", () => {
    const page = readFileSync(`${PUBLIC}index.html`, "utf8");
    const ids = new Set([...page.matchAll(/\sid="([^"]+)"/gu)].map((m) => m[1]));
    const wanted = modules.flatMap((f) =>
      [...source(f).matchAll(/(?:\$|getElementById)\("([^"]+)"\)/gu)].map((m) => `${f}: ${m[1]}`),
    );
    expect(wanted.length).toBeGreaterThan(20);
    expect(wanted.filter((w) => !ids.has(w.split(": ")[1]))).toEqual([]);
  });
});
