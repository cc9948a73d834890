// Chinese reasons for a rejected option or query parameter (--limit, ?region=, …), shared by the CLI and HTTP.
import { LEVELS, REGIONS } from "../shared/domain.ts";

export const OPTION_MESSAGES = {
  limitRange: (min: number, max: number) => `应为 ${min}–${max} 的整数`,
  oneOf: (values: readonly string[]) => `应为 ${values.join(" / ")}`,
  regions: `应为 ${REGIONS.join(" / ")}`,
  levels: `应为 ${LEVELS.join(" / ")}`,
  isoDate: "应为 YYYY-MM-DD",
  /** The option name as each entry point spells it: `--limit` on the command line, `limit` in a URL. */
  invalid: (name: string, reason: string) => `参数 ${name} 无效：${reason}`,
} as const;
