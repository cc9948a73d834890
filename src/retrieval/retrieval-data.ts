// The retrieval vocabulary (knowledge/retrieval/*.json): domain words, synonyms, places, unheld documents.
import { readFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { LEVELS, REGIONS, type Region } from "../shared/domain.ts";

/** Where the project keeps its retrieval data by default. */
export const DEFAULT_RETRIEVAL_DIR = fileURLToPath(new URL("../../knowledge/retrieval/", import.meta.url));

const lexiconSchema = z.object({
  domainWords: z.array(z.string().min(1)),
  synonyms: z.array(z.object({ canonical: z.string().min(1), variants: z.array(z.string().min(1)).min(1) })),
  related: z.array(z.array(z.string().min(1)).min(2)),
  stopWords: z.array(z.string().min(1)),
  fillers: z.object({ pattern: z.string().min(1), words: z.array(z.string().min(1)) }),
  conditionCues: z.array(z.string().min(1)),
  answerCues: z.array(
    z.object({
      cues: z.array(z.string().min(1)).min(1),
      pattern: z.string().min(1),
      weak: z.boolean().optional(),
    }),
  ),
  delegationPattern: z.string().min(1),
  levels: z.object({
    aliases: z.array(z.object({ level: z.enum(LEVELS), names: z.array(z.string().min(1)).min(1) })),
  }),
  enumeration: z.object({
    cues: z.array(z.string().min(1)).min(1),
    lists: z.array(z.array(z.string().min(1)).min(1)),
  }),
  exception: z.object({ cues: z.array(z.string().min(1)).min(1), pattern: z.string().min(1) }),
  quantityUnits: z.object({ units: z.array(z.string().min(1)).min(1) }),
  /** Cues asking for a sum of money and the pattern of a stated sum (see amountRefusal). */
  amount: z.object({ cues: z.array(z.string().min(1)).min(1), pattern: z.string().min(1) }),
  pointer: z.object({ cues: z.array(z.string().min(1)).min(1), pattern: z.string().min(1) }),
  /** Words asking whom to contact or where to go: contact lines then count in full. */
  contactCues: z.array(z.string().min(1)).min(1),
});

const regionsSchema = z.object({
  held: z.record(z.enum(REGIONS), z.array(z.string().min(1))),
  unheld: z.array(z.string().min(1)),
});

const unheldSchema = z.object({
  documents: z.array(z.object({ docNumber: z.string().min(1), about: z.string().min(1) })),
});

export type Lexicon = z.infer<typeof lexiconSchema>;
export interface PlaceNames {
  held: Partial<Record<Region, string[]>>;
  unheld: string[];
}
export interface UnheldDocument {
  docNumber: string;
  about: string;
}

/** Everything the retrieval layer reads from data rather than code. */
export interface RetrievalData {
  lexicon: Lexicon;
  places: PlaceNames;
  unheldDocuments: UnheldDocument[];
}

function readJson<T>(file: string, schema: z.ZodType<T>): T {
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

const cache = new Map<string, RetrievalData>();

/** Loads and validates the three data files of a folder (cached per folder: they are read-only). */
export function loadRetrievalData(dir: string = DEFAULT_RETRIEVAL_DIR): RetrievalData {
  const hit = cache.get(dir);
  if (hit) return hit;
  const data: RetrievalData = {
    lexicon: readJson(`${dir}/lexicon.json`, lexiconSchema),
    places: readJson(`${dir}/regions.json`, regionsSchema),
    unheldDocuments: readJson(`${dir}/unheld-documents.json`, unheldSchema).documents,
  };
  cache.set(dir, data);
  return data;
}
