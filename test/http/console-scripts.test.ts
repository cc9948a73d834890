// The console's browser modules (src/http/public/*.mjs) are outside the type-aware lint (no TypeScript, browser
// globals): here ESLint checks them on its own terms, so an undefined name or a dead variable fails a test.
import { readdirSync, readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { Linter } from "eslint";
import { describe, expect, it } from "vitest";

const PUBLIC = fileURLToPath(new URL("../../src/http/public/", import.meta.url));
const BROWSER_GLOBALS = [
  "window",
  "document",
  "navigator",
  "sessionStorage",
  "localStorage",
  "fetch",
  "setTimeout",
  "clearTimeout",
  "crypto",
  "CustomEvent",
  "URLSearchParams",
  "AbortController",
  "URL",
  "FormData",
  "Blob",
  "File",
  "FileReader",
  "TextDecoder",
  "Event",
  "requestAnimationFrame",
  "console",
];

const config: Linter.Config = {
  languageOptions: {
    ecmaVersion: 2024,
    sourceType: "module",
    globals: Object.fromEntries(BROWSER_GLOBALS.map((name) => [name, "readonly"])),
  },
  rules: {
    "no-undef": "error",
    "no-unused-vars": "error",
    "no-unreachable": "error",
    "no-dupe-keys": "error",
    "no-redeclare": "error",
    "no-const-assign": "error",
    "prefer-const": "error",
    eqeqeq: ["error", "smart"],
  },
};

const modules = readdirSync(PUBLIC).filter((f) => f.endsWith(".mjs"));

describe("the console's browser modules", () => {
  it("are all there", () => {
    expect(modules).toEqual(
      expect.arrayContaining(["console.mjs", "console-core.mjs", "console-chat.mjs", "console-clauses.mjs"]),
    );
  });

  it.each(modules)("%s passes the browser lint", (file) => {
    const messages = new Linter().verify(readFileSync(`${PUBLIC}${file}`, "utf8"), config, file);
    expect(messages.map((m) => `${file}:${m.line}:${m.column} ${m.message}`)).toEqual([]);
  });

  it("never writes server text as HTML", () => {
    for (const file of modules)
      expect(readFileSync(`${PUBLIC}${file}`, "utf8")).not.toMatch(
        /innerHTML|outerHTML|insertAdjacentHTML|document\.write/,
      );
  });
});
