// Optional LLM synthesis over retrieved clauses, verified against them (ids and every number/date).
import { ChatOpenAI } from "@langchain/openai";
import type { Clause } from "../shared/domain.ts";

/** LLM settings (src/config.ts llmSettings); synthesis is off without them. */
export interface LlmSettings {
  baseUrl: string;
  apiKey: string;
  model: string;
  timeoutMs?: number;
}

const SYSTEM_PROMPT = [
  "你是职称政策咨询助手。只能依据下面给出的条款回答，不得使用条款以外的任何信息。",
  "每一句话后用方括号注明依据的条款编号，例如 [beijing-ai-title-2020:五、(二)]。",
  "条款中没有的内容，回答“资料中没有”。日期、数字必须与条款原文一致。回答用简体中文，简明扼要。",
].join("\n");

/** The prompt: the question and nothing but the retrieved clauses, each with its id. */
export function buildPrompt(
  question: string,
  clauses: readonly Clause[],
): Array<{ role: "system" | "user"; content: string }> {
  const sources = clauses.map((c) => `[${c.clauseId}]\n${c.text}`).join("\n\n");
  return [
    { role: "system", content: SYSTEM_PROMPT },
    { role: "user", content: `条款：\n${sources}\n\n问题：${question}` },
  ];
}

/** Dates in any of the forms the notices and models write them, as `Y-M-D` and `M-D` keys. */
function dateKeys(text: string): {
  full: Set<string>;
  monthDay: Set<string>;
  spans: Array<[number, number]>;
} {
  const full = new Set<string>();
  const monthDay = new Set<string>();
  const spans: Array<[number, number]> = [];
  const patterns = [
    /(?:(\d{4})\s*年\s*)?(\d{1,2})\s*月\s*(\d{1,2})\s*日/gu,
    /(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})/gu,
  ];
  for (const re of patterns) {
    for (const m of text.matchAll(re)) {
      const [, y, mo, d] = m;
      const md = `${Number(mo)}-${Number(d)}`;
      monthDay.add(md);
      if (y) full.add(`${Number(y)}-${md}`);
      spans.push([m.index, m.index + m[0].length]);
    }
  }
  return { full, monthDay, spans };
}

function numbersOutside(text: string, spans: Array<[number, number]>): string[] {
  const out: string[] = [];
  for (const m of text.matchAll(/\d+(?:\.\d+)?/gu)) {
    if (spans.some(([a, b]) => m.index >= a && m.index < b)) continue;
    out.push(String(Number(m[0])));
  }
  return out;
}

/** Why a synthesised answer was rejected, or null when it passes. */
export function verifySynthesis(answer: string, retrieved: readonly Clause[]): string | null {
  const byId = new Map(retrieved.map((c) => [c.clauseId, c]));
  const cited = [...answer.matchAll(/\[([^\[\]\n]+)\]/gu)].map((m) => (m[1] ?? "").trim());
  if (cited.length === 0) return "no clause cited";
  const unknown = cited.find((id) => !byId.has(id));
  if (unknown !== undefined) return `cited clause not retrieved: ${unknown}`;
  const sourceText = [...new Set(cited)].map((id) => byId.get(id)?.text ?? "").join("\n");
  // Citation brackets hold ids, whose digits are not claims.
  const body = answer.replace(/\[[^\[\]\n]+\]/gu, " ");
  const said = dateKeys(body);
  const source = dateKeys(sourceText);
  const sourceNumbers = new Set(numbersOutside(sourceText, []));
  for (const key of said.full) {
    const [year, ...md] = key.split("-");
    if (!source.full.has(key) && !(source.monthDay.has(md.join("-")) && sourceNumbers.has(year ?? ""))) {
      return `date not in cited clauses: ${key}`;
    }
  }
  for (const md of said.monthDay) if (!source.monthDay.has(md)) return `date not in cited clauses: ${md}`;
  for (const n of numbersOutside(body, said.spans))
    if (!sourceNumbers.has(n)) return `number not in cited clauses: ${n}`;
  return null;
}

/** Chat model that rewrites the retrieved clauses into an answer; the caller falls back when it returns undefined. */
export class LlmSynthesizer {
  private readonly model: ChatOpenAI;

  constructor(settings: LlmSettings) {
    this.model = new ChatOpenAI({
      model: settings.model,
      apiKey: settings.apiKey,
      configuration: { baseURL: settings.baseUrl },
      temperature: 0,
      maxRetries: 0,
      timeout: settings.timeoutMs ?? 15_000,
    });
  }

  /** A verified answer, or undefined (model error, timeout or failed verification). */
  async synthesize(question: string, clauses: readonly Clause[]): Promise<string | undefined> {
    try {
      const reply = await this.model.invoke(buildPrompt(question, clauses));
      const text =
        typeof reply.content === "string"
          ? reply.content
          : reply.content.map((p) => ("text" in p ? p.text : "")).join("");
      return verifySynthesis(text, clauses) === null ? text.trim() : undefined;
    } catch {
      // The extractive answer stands in; a failing model must never cost the user the answer.
      return undefined;
    }
  }
}
