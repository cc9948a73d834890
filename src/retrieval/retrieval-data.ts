// The retrieval vocabulary (knowledge/retrieval/*.json): domain words, synonyms, places, unheld documents.
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { readJsonFile } from "../shared/read-json-file.ts";
import { LEVELS, type Region } from "../shared/domain.ts";
import { loadRegions, type RegionCatalogue } from "../shared/regions.ts";

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
      /** What the kind is (date, place, phone…): the name code and the bench refer to it by. */
      name: z.string().min(1).optional(),
      cues: z.array(z.string().min(1)).min(1),
      /** Words that, in the question, mean it asks something else ("负责解释" is no organiser). */
      except: z.array(z.string().min(1)).optional(),
      pattern: z.string().min(1),
      weak: z.boolean().optional(),
      /**
       * How far below the best hit a clause of the same notice holding this kind may be and still go first
       * (default ANSWER_TYPE_RATIO): a notice gives its phone numbers in one contact clause.
       */
      minShare: z.number().gt(0).lte(1).optional(),
      /**
       * Text of this kind that answers something else (a qualification cut-off is a date, but no deadline
       * to apply by): it does not count unless the question asks with one of `unless`.
       */
      otherwise: z
        .object({ pattern: z.string().min(1), unless: z.array(z.string().min(1)).min(1) })
        .optional(),
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
  exception: z.object({
    cues: z.array(z.string().min(1)).min(1),
    pattern: z.string().min(1),
    /** A clause setting an exceptional route (破格): it and the clauses under it rank lower unless asked for. */
    routePattern: z.string().min(1),
  }),
  quantityUnits: z.object({ units: z.array(z.string().min(1)).min(1) }),
  /** Cues asking for a sum of money and the pattern of a stated sum (see amountRefusal). */
  amount: z.object({ cues: z.array(z.string().min(1)).min(1), pattern: z.string().min(1) }),
  pointer: z.object({ cues: z.array(z.string().min(1)).min(1), pattern: z.string().min(1) }),
  /** Words asking whom to contact or where to go: contact lines then count in full. */
  contactCues: z.array(z.string().min(1)).min(1),
  /** A year a question asks about as a round's year (see round-timing.ts); optional for older data folders. */
  roundYear: z
    .object({
      aboutPattern: z.string().min(1),
      personalPattern: z.string().min(1),
      relative: z.record(z.string().min(1), z.number().int()),
    })
    .optional(),
  /** Subjects no held notice covers (pay, exams, hukou…): refused whatever region is named (see refusals.ts). */
  uncoveredTopics: z
    .array(z.object({ name: z.string().min(1), cues: z.array(z.string().min(1)).min(1) }))
    .optional(),
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

/**
 * Retrieval's place names from the one regions file: a held region's places, its one-character
 * abbreviations and its province's names select it (a question about 四川 is answered from the Bazhong
 * notice, which says where it applies); the province's other cities and every unheld place select none.
 */
export function placeNames(catalogue: RegionCatalogue): PlaceNames {
  const held: Partial<Record<Region, string[]>> = {};
  for (const r of catalogue.regions)
    held[r.id] = [...r.places, ...r.abbreviations, ...(r.within?.names ?? [])];
  const cities = catalogue.regions.flatMap((r) => r.within?.cities ?? []);
  return { held, unheld: [...catalogue.unheld, ...cities] };
}

const cache = new Map<string, RetrievalData>();

/**
 * Loads and validates the data files of a folder, and a regions file (by default the one beside it,
 * `<dir>/../regions.json`); cached per folder and regions file: they are read-only.
 */
export function loadRetrievalData(
  dir: string = DEFAULT_RETRIEVAL_DIR,
  regionsFile = `${dir}/../regions.json`,
): RetrievalData {
  const key = `${dir}\n${regionsFile}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const data: RetrievalData = {
    lexicon: readJsonFile(`${dir}/lexicon.json`, lexiconSchema),
    places: placeNames(loadRegions(regionsFile)),
    unheldDocuments: readJsonFile(`${dir}/unheld-documents.json`, unheldSchema).documents,
  };
  cache.set(key, data);
  return data;
}
