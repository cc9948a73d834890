// The README's command-line examples are real: each one is run and must print what the README shows.
//
// What is checked, from the ```console blocks of README.md's "Command line" section:
// - A line starting with `$ ` is a command; the lines after it, up to the next command or the end of
//   the block, are what it prints, except blank lines at the end, which only separate it from the next.
// - `$ npm run -s cli -- ARGS` runs `run(ARGS)` from src/main.ts in-process, from the project root,
//   with no environment (the defaults). It runs twice, as if today were two far-apart days: both runs
//   must print the same, so no example depends on the day it is read. It must exit 0 with nothing on
//   stderr.
// - Its printed lines must match the README's lines in order, exactly. A line holding only `…` stands
//   for any number of lines (none included) that the README leaves out; at the end of an example it
//   means more lines follow. Without a trailing `…` the output ends where the example ends.
// - `> FILE` sends the output to a file: the README then shows none, and the test keeps the output
//   instead of writing FILE, requiring only that there is some. `# …` after a command is a comment.
// - `$ cat FILE` shows a file kept in the project: its lines must be exactly the README's lines.
// - Any other command is an error: every example in the section is checked, none silently passed over.
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { cli } from "../support/capture-io.ts";
import { PROJECT_ROOT } from "../support/paths.ts";

/** A line that stands for lines the README leaves out. */
const ELLIPSIS = "…";
/** Two days far apart on which every example must print the same. */
const TODAYS = ["2024-09-01T04:00:00Z", "2031-06-15T04:00:00Z"] as const;

interface Example {
  /** The command line as the README prints it, after `$ `. */
  command: string;
  /** The lines the README shows under it. */
  shown: string[];
}

/** The body of the `## Command line` section (up to the next `## ` heading). */
function commandLineSection(readme: string): string {
  const start = readme.indexOf("\n## Command line\n");
  if (start < 0) throw new Error("README.md has no '## Command line' section");
  const rest = readme.slice(start + 1);
  const next = rest.indexOf("\n## ", 3);
  return next < 0 ? rest : rest.slice(0, next);
}

/** The examples of every ```console block of a section, in order. */
function consoleExamples(section: string): Example[] {
  const examples: Example[] = [];
  for (const block of section.matchAll(/^```console\n([\s\S]*?)^```$/gmu)) {
    let current: Example | undefined;
    for (const line of (block[1] ?? "").replace(/\n$/u, "").split("\n")) {
      if (line.startsWith("$ ")) {
        current = { command: line.slice(2), shown: [] };
        examples.push(current);
      } else if (current) current.shown.push(line);
      else throw new Error(`console block line before any command: ${line}`);
    }
  }
  for (const e of examples) while (e.shown.length > 0 && e.shown[e.shown.length - 1] === "") e.shown.pop();
  return examples;
}

/** A shell command line's words (double and single quotes, `# comment`), and a `> FILE` redirection. */
function shellWords(command: string): { words: string[]; redirect?: string } {
  const words: string[] = [];
  let redirect: string | undefined;
  let word: string | undefined;
  let quote: string | undefined;
  let redirecting = false;
  const end = () => {
    if (word === undefined) return;
    if (redirecting) {
      redirect = word;
      redirecting = false;
    } else words.push(word);
    word = undefined;
  };
  for (let i = 0; i < command.length; i++) {
    const ch = command[i] as string;
    if (quote) {
      if (ch === quote) quote = undefined;
      else word += ch;
    } else if (ch === '"' || ch === "'") {
      quote = ch;
      word ??= "";
    } else if (/\s/u.test(ch)) end();
    else if (ch === "#" && word === undefined) break;
    else if (ch === ">" && word === undefined) redirecting = true;
    else word = (word ?? "") + ch;
  }
  if (quote) throw new Error(`unclosed quote in: ${command}`);
  end();
  if (redirecting) throw new Error(`redirection without a file in: ${command}`);
  return redirect === undefined ? { words } : { words, redirect };
}

/**
 * Whether `actual` lines match the README's `shown` lines: in order and exact, a line holding only `…`
 * matching any number of lines (none included). Returns the index of the first shown line that could
 * not be matched, or -1 when everything matches.
 */
function firstMismatch(shown: readonly string[], actual: readonly string[]): number {
  // Classic glob matching over lines: `…` is the only wildcard.
  let s = 0;
  let a = 0;
  let star = -1;
  let resume = 0;
  let furthest = 0;
  while (a < actual.length) {
    if (s < shown.length && shown[s] !== ELLIPSIS && shown[s] === actual[a]) {
      s++;
      a++;
      furthest = Math.max(furthest, s);
    } else if (s < shown.length && shown[s] === ELLIPSIS) {
      star = s++;
      resume = a;
      furthest = Math.max(furthest, s);
    } else if (star >= 0) {
      s = star + 1;
      a = ++resume;
    } else return furthest;
  }
  while (s < shown.length && shown[s] === ELLIPSIS) s++;
  return s === shown.length ? -1 : Math.max(furthest, s);
}

/** Output lines as the README shows them: split on newlines, without the final newline's empty line. */
function outputLines(text: string): string[] {
  return text.replace(/\n$/u, "").split("\n");
}

const NPM_CLI = ["npm", "run", "-s", "cli", "--"];

describe("firstMismatch (the README's … rule)", () => {
  it("matches lines exactly and in order, and requires the output to end where the example ends", () => {
    expect(firstMismatch(["a", "b"], ["a", "b"])).toBe(-1);
    expect(firstMismatch(["a", "b"], ["a", "b", "c"])).toBe(2);
    expect(firstMismatch(["a", "c"], ["a", "b"])).toBe(1);
    expect(firstMismatch(["a"], [""])).toBe(0);
  });

  it("reads a … line as any number of omitted lines, none included, and at the end as 'more follow'", () => {
    expect(firstMismatch(["a", "…"], ["a", "b", "c"])).toBe(-1);
    expect(firstMismatch(["a", "…"], ["a"])).toBe(-1);
    expect(firstMismatch(["a", "…", "d"], ["a", "b", "c", "d"])).toBe(-1);
    expect(firstMismatch(["a", "…", "d"], ["a", "d"])).toBe(-1);
    expect(firstMismatch(["a", "…", "d"], ["a", "b", "c"])).toBe(2);
    expect(firstMismatch(["a", "…", "c", "…"], ["x", "a", "c"])).toBe(0);
    expect(firstMismatch(["…", "c"], ["a", "b", "c", "d"])).toBe(2);
  });

  it("splits command lines like a shell: quotes, comments and a redirection", () => {
    expect(shellWords(`npm run -s cli -- clause "京人社事业发〔2020〕30号 附件 三(四)" --limit 2`)).toEqual({
      words: [...NPM_CLI, "clause", "京人社事业发〔2020〕30号 附件 三(四)", "--limit", "2"],
    });
    expect(shellWords("npm run -s cli -- deadlines --ics > out.ics   # for a calendar")).toEqual({
      words: [...NPM_CLI, "deadlines", "--ics"],
      redirect: "out.ics",
    });
    expect(shellWords(`cat 'a b'#c`)).toEqual({ words: ["cat", "a b#c"] });
  });
});

describe("README.md command-line examples", () => {
  const readme = readFileSync(join(PROJECT_ROOT, "README.md"), "utf8");
  const examples = consoleExamples(commandLineSection(readme));
  const cwd = process.cwd();
  // Relative paths in the examples (examples/profile.json) are the project's, as for a reader of the README.
  beforeAll(() => process.chdir(PROJECT_ROOT));
  afterAll(() => process.chdir(cwd));

  it("has examples to check", () => {
    expect(examples.filter((e) => e.command.startsWith("npm run -s cli -- ")).length).toBeGreaterThanOrEqual(
      5,
    );
  });

  for (const example of examples) {
    it(`$ ${example.command}`, async () => {
      const { words, redirect } = shellWords(example.command);
      if (words[0] === "cat" && words.length === 2 && redirect === undefined) {
        const file = readFileSync(join(PROJECT_ROOT, words[1] as string), "utf8");
        expect(outputLines(file)).toEqual(example.shown);
        return;
      }
      if (NPM_CLI.some((w, i) => words[i] !== w))
        throw new Error(`not an example this test knows how to run: $ ${example.command}`);
      const argv = words.slice(NPM_CLI.length);
      const runs = [];
      for (const today of TODAYS) runs.push(await cli(argv, {}, today));
      for (const r of runs) {
        expect(r.stderr).toBe("");
        expect(r.code).toBe(0);
      }
      if (redirect !== undefined) {
        expect(example.shown.filter((l) => l.trim())).toEqual([]);
        expect(runs[0]?.stdout.length).toBeGreaterThan(0);
        return;
      }
      const [first, second] = runs.map((r) => r.stdout);
      // The same on both days, so what the README shows does not depend on the day it is read.
      expect(second).toBe(first);
      const actual = outputLines(first ?? "");
      const at = firstMismatch(example.shown, actual);
      if (at >= 0) {
        throw new Error(
          [
            `README line ${at + 1} of this example does not match the output:`,
            `  README: ${JSON.stringify(example.shown[at] ?? "(end of example)")}`,
            "--- actual output ---",
            ...actual,
          ].join("\n"),
        );
      }
    });
  }
});
