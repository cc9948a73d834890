// Profile validation: the zod shape plus cross-field checks against asOf, with errors naming the field.
// Subpath imports: the package index would load all ~250 functions at every start of the CLI.
import { isValid } from "date-fns/isValid";
import { z } from "zod";
import { parseISO } from "date-fns/parseISO";
import { isoDate, profileSchema, type Profile } from "../shared/profile.ts";
import { RULES_TEXT } from "../i18n/rules-messages.ts";

export interface ProfileError {
  code: "invalid_profile" | "invalid_date" | "date_after_as_of";
  message: string;
  field: string;
}

export type ProfileValidation =
  { ok: true; profile: Profile; asOf: string } | { ok: false; error: ProfileError; id?: unknown };

// A batch repeats few asOf days: parse each once (bounded, so memory stays flat).
const realDates = new Map<string, boolean>();

/** zod's own Chinese wording for the checks that carry no message of ours (enum values, ranges, types). */
const ZOD_IN_CHINESE = { error: z.locales.zhCN().localeError };
const realDate = (value: string): boolean => {
  let ok = realDates.get(value);
  if (ok === undefined) {
    ok = isValid(parseISO(value));
    if (realDates.size >= 10_000) realDates.clear();
    realDates.set(value, ok);
  }
  return ok;
};

/** Whether `value` is a `YYYY-MM-DD` day that exists (2024-02-30 does not): the form of every asOf. */
export function isCalendarDay(value: string): boolean {
  return isoDate.safeParse(value).success && realDate(value);
}

/**
 * Validates a raw profile. `today` (YYYY-MM-DD, Asia/Shanghai) is the asOf when the profile sets none.
 * Rejects months after asOf, negative counts and impossible dates. A title obtained before the
 * graduation the profile names is ordinary (a degree taken in service, after the title) and is accepted:
 * each criterion counts from its own date (education routes from the graduation, title routes from the title).
 */
export function validateProfile(raw: unknown, today: string): ProfileValidation {
  const id = raw && typeof raw === "object" && "id" in raw ? raw.id : undefined;
  const fail = (error: ProfileError): ProfileValidation => ({
    ok: false,
    error,
    ...(id !== undefined ? { id } : {}),
  });
  if (!raw || typeof raw !== "object" || Array.isArray(raw)) {
    return fail({ code: "invalid_profile", message: RULES_TEXT.profile.notObject, field: "(profile)" });
  }
  const parsed = profileSchema.safeParse(raw, ZOD_IN_CHINESE);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const field = issue?.path.map(String).join(".") || "(profile)";
    return fail({
      code: "invalid_profile",
      message: RULES_TEXT.profile.invalidField(field, issue?.message ?? ""),
      field,
    });
  }
  const profile = parsed.data;
  const asOf = profile.asOf ?? today;
  if (!realDate(asOf))
    return fail({
      code: "invalid_date",
      message: RULES_TEXT.profile.invalidDate("asOf", asOf),
      field: "asOf",
    });
  const asOfMonth = asOf.slice(0, 7);
  const months: Array<[string, string | undefined]> = [
    ["graduated", profile.graduated],
    ["specialtyWorkSince", profile.specialtyWorkSince],
    ["currentTitle.obtained", profile.currentTitle?.obtained],
  ];
  for (const [field, value] of months) {
    if (value !== undefined && value > asOfMonth) {
      return fail({
        code: "date_after_as_of",
        message: RULES_TEXT.profile.afterAsOf(field, value, asOf),
        field,
      });
    }
  }
  return { ok: true, profile, asOf };
}
