// Lint: type-aware rules so a dropped promise (a lost reply) or an unchecked index fails CI.
import tseslint from "typescript-eslint";

const NO_TEST = { group: ["**/test/**", "../../test/*"], message: "src never imports test." };
const NO_CLI = { group: ["**/cli/**"], message: "Only src/main.ts (the composition root) imports cli/." };

/** What the console's browser modules may use besides the language (the `globals` package is not installed). */
const BROWSER_GLOBALS = [
  "window",
  "document",
  "navigator",
  "sessionStorage",
  "localStorage",
  "fetch",
  "XMLHttpRequest",
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

/** Ways to write a string as HTML: server text (replies, clauses, messages) must go in with textContent. */
const NO_HTML = "Insert text with textContent or el(): server text is never parsed as HTML.";

/** One import zone: `files` may not import test, cli (unless `cliAllowed`) or anything `patterns` names. */
function zone(files, { ignores, cliAllowed = false, patterns = [] } = {}) {
  return {
    files,
    ...(ignores ? { ignores } : {}),
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [NO_TEST, ...(cliAllowed ? [] : [NO_CLI]), ...patterns] },
      ],
    },
  };
}

export default tseslint.config(
  { ignores: ["node_modules", "coverage", "dist", "bin"] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-floating-promises": "error",
      "@typescript-eslint/no-misused-promises": "error",
      "@typescript-eslint/consistent-type-imports": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "no-restricted-syntax": [
        "error",
        { selector: "ExportDefaultDeclaration", message: "Named exports only." },
      ],
    },
  },
  // Import zones. A file takes the last zone that matches it (ESLint replaces, not merges, a rule's options), so
  // every zone repeats the two rules that hold everywhere: src never imports test, and only the composition root
  // imports the command line.
  zone(["src/**/*.ts"], { ignores: ["src/main.ts", "src/cli/**"] }),
  zone(["src/main.ts", "src/cli/**/*.ts"], { cliAllowed: true }),
  zone(["src/app/**/*.ts"], {
    patterns: [
      {
        group: ["**/http/**", "**/bots/**", "**/main*"],
        message: "app serves the entry points; it imports none of them.",
      },
    ],
  }),
  zone(["src/bots/**/*.ts"], {
    patterns: [
      {
        group: [
          "**/dialogs/**",
          "**/rules/**",
          "**/retrieval/**",
          "**/sessions/**",
          "**/knowledge/**",
          "**/http/**",
          "**/main*",
        ],
        message: "Adapters depend on app and shared only (and the i18n catalogue for their texts).",
      },
    ],
  }),
  zone(["src/shared/**/*.ts"], {
    patterns: [
      { group: ["../*/**", "!../shared/**"], message: "shared imports nothing from the layers above it." },
    ],
  }),
  zone(
    [
      "src/knowledge/**/*.ts",
      "src/rules/**/*.ts",
      "src/retrieval/**/*.ts",
      "src/sessions/**/*.ts",
      "src/i18n/**/*.ts",
    ],
    {
      patterns: [
        {
          group: ["**/dialogs/**", "**/app/**", "**/http/**", "**/bots/**", "**/main*"],
          message:
            "Imports flow one way: shared <- rules/retrieval/sessions <- dialogs <- app <- cli/http/bots/main.",
        },
      ],
    },
  ),
  // The web console's browser modules: plain JavaScript (no types, so no type-aware rules), browser globals.
  {
    files: ["src/http/public/**/*.mjs"],
    extends: [tseslint.configs.disableTypeChecked],
    languageOptions: {
      ecmaVersion: "latest",
      sourceType: "module",
      globals: Object.fromEntries(BROWSER_GLOBALS.map((name) => [name, "readonly"])),
    },
    rules: {
      "no-undef": "error",
      "no-unreachable": "error",
      "no-dupe-keys": "error",
      "no-redeclare": "error",
      "no-const-assign": "error",
      "prefer-const": "error",
      eqeqeq: ["error", "smart"],
      "no-restricted-properties": [
        "error",
        { property: "innerHTML", message: NO_HTML },
        { property: "outerHTML", message: NO_HTML },
        { property: "insertAdjacentHTML", message: NO_HTML },
        { object: "document", property: "write", message: NO_HTML },
        { object: "document", property: "writeln", message: NO_HTML },
      ],
    },
  },
  {
    files: ["eslint.config.js", "vitest.config.ts"],
    extends: [tseslint.configs.disableTypeChecked],
    rules: { "no-restricted-syntax": "off" },
  },
);
