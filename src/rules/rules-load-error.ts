// A rule or deadline file that cannot be used, naming the file, the rule id and the field.
import { RULES_TEXT } from "../i18n/rules-messages.ts";

export class RulesLoadError extends Error {
  readonly file: string;
  readonly rule: string;
  readonly field: string;

  constructor(file: string, rule: string, field: string, why: string, options?: ErrorOptions) {
    super(RULES_TEXT.rulesLoad(file, rule, field, why), options);
    this.name = "RulesLoadError";
    this.file = file;
    this.rule = rule;
    this.field = field;
  }
}

/** Names the rule (its `id`, found by walking the raw data along the issue path) and the field of a zod issue. */
export function locateIssue(raw: unknown, path: readonly PropertyKey[]): { rule: string; field: string } {
  let node: unknown = raw;
  let rule = typeof raw === "object" && raw && "id" in raw ? String(raw.id) : "(file)";
  let fieldStart = 0;
  path.forEach((key, i) => {
    node = node && typeof node === "object" ? (node as Record<PropertyKey, unknown>)[key] : undefined;
    if (node && typeof node === "object" && !Array.isArray(node) && "id" in node) {
      rule = String(node.id);
      fieldStart = i + 1;
    }
  });
  const field = path.slice(fieldStart).map(String).join(".") || "(whole)";
  return { rule, field };
}
