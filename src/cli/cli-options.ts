// Parses the command line: a command, positional words and the contract's options.
import { parseArgs } from "node:util";

export interface CliOptions {
  command: string;
  positionals: string[];
  json: boolean;
  batch?: string;
  profile?: string;
  limit?: string;
  region?: string;
  level?: string;
  after?: string;
  /** `ask --as-of YYYY-MM-DD`: the day the question is asked (contract: it fixes a day-dependent answer). */
  "as-of"?: string;
  ics: boolean;
  out?: string;
  /** `check --summary`: each report reduced to verdict, month, missing facts and unmet criterion ids. */
  summary: boolean;
  /** `template --format xlsx|csv`. */
  format?: string;
  id?: string;
  title?: string;
  number?: string;
  issuer?: string;
  date?: string;
  levels?: string;
  kind?: string;
  /** `reminders due|send --at <ISO 8601>`: the instant the schedule is evaluated at (no offset: Asia/Shanghai). */
  at?: string;
  help: boolean;
}

/** Parses argv (without node and script); throws with a Chinese message on an unknown option. */
export function parseCliOptions(argv: string[]): CliOptions {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    strict: true,
    options: {
      json: { type: "boolean", default: false },
      batch: { type: "string" },
      profile: { type: "string" },
      limit: { type: "string" },
      region: { type: "string" },
      level: { type: "string" },
      after: { type: "string" },
      "as-of": { type: "string" },
      ics: { type: "boolean", default: false },
      out: { type: "string", short: "o" },
      summary: { type: "boolean", default: false },
      format: { type: "string" },
      id: { type: "string" },
      title: { type: "string" },
      number: { type: "string" },
      issuer: { type: "string" },
      date: { type: "string" },
      levels: { type: "string" },
      kind: { type: "string" },
      at: { type: "string" },
      help: { type: "boolean", short: "h", default: false },
    },
  });
  const [command = "help", ...rest] = positionals;
  return { ...values, command, positionals: rest };
}
