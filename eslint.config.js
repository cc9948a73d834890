// Lint: type-aware rules so a dropped promise (a lost reply) or an unchecked index fails CI.
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules", "coverage", "dist", "bin", "**/*.mjs"] },
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
  {
    files: ["src/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        { patterns: [{ group: ["**/test/**", "../../test/*"], message: "src never imports test." }] },
      ],
    },
  },
  {
    files: ["src/bots/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/dialogs/**", "**/rules/**", "**/retrieval/**", "**/sessions/**"],
              message: "Adapters depend on shared only.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["src/shared/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["../*/**", "!../shared/**"],
              message: "shared imports nothing from the layers above it.",
            },
          ],
        },
      ],
    },
  },
  {
    files: [
      "src/knowledge/**/*.ts",
      "src/rules/**/*.ts",
      "src/retrieval/**/*.ts",
      "src/sessions/**/*.ts",
      "src/i18n/**/*.ts",
    ],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          patterns: [
            {
              group: ["**/dialogs/**", "**/cli/**", "**/http/**", "**/bots/**", "**/main*"],
              message:
                "Imports flow one way: shared <- rules/retrieval/sessions <- dialogs <- cli/http/main.",
            },
          ],
        },
      ],
    },
  },
  {
    files: ["eslint.config.js", "vitest.config.ts"],
    extends: [tseslint.configs.disableTypeChecked],
    rules: { "no-restricted-syntax": "off" },
  },
);
