// Employer types as people name them (knowledge/dialog/lexicon.json): 国企、事业单位、民企/外企、公务员、参公、退休….
import type { EmployerType } from "../../shared/profile.ts";
import { LEXICON } from "../dialog-lexicon.ts";

/** The employer type a text names, if any (`text` already normalised). 参公 is listed before 公务员. */
export function parseEmployerType(text: string): EmployerType | undefined {
  for (const [pattern, value] of LEXICON.employer) if (pattern.test(text)) return value;
  return undefined;
}
