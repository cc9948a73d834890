// Reads a JSON data file of the knowledge folder and validates it; errors name the file and the field.
import { readFileSync } from "node:fs";
import type { z } from "zod";

/** The file's contents as `schema` reads them. @throws Error naming the file (and the field that is wrong). */
export function readJsonFile<T>(file: string, schema: z.ZodType<T>): T {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, "utf8"));
  } catch (cause) {
    throw new Error(`${file}: 无法读取或不是合法 JSON`, { cause });
  }
  const result = schema.safeParse(raw);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new Error(`${file}: ${issue?.path.join(".")}: ${issue?.message}`);
  }
  return result.data;
}
