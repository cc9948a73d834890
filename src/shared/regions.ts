// The regions we hold notices for, read from knowledge/regions.json: the dialog, retrieval, rules and texts share it.
import { fileURLToPath } from "node:url";
import { z } from "zod";
import { readJsonFile } from "./read-json-file.ts";

/** The project's regions file. */
export const DEFAULT_REGIONS_FILE = fileURLToPath(new URL("../../knowledge/regions.json", import.meta.url));

const name = z.string().min(1);

/** The shape of a region id (lower-case words joined by hyphens, e.g. sichuan-bazhong). */
export const REGION_ID = /^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$/;

const regionSchema = z.object({
  id: z.string().regex(REGION_ID),
  name,
  label: name,
  places: z.array(name).min(1),
  abbreviations: z.array(name).default([]),
  /** Names in Latin letters ("beijing", "hangzhou"), matched as whole words, lower case. */
  english: z.array(z.string().regex(/^[a-z][a-z ]*$/)).default([]),
  within: z.object({ name, names: z.array(name).min(1), cities: z.array(name).default([]) }).optional(),
});

const fileSchema = z.object({
  regions: z.array(regionSchema).min(1),
  unheld: z.array(name),
});

/** One region we hold notices for. */
export type RegionEntry = z.infer<typeof regionSchema>;

/** Every region, and the places we know we hold nothing for. */
export interface RegionCatalogue {
  regions: RegionEntry[];
  unheld: string[];
}

const cache = new Map<string, RegionCatalogue>();

/**
 * Loads and validates a regions file (cached per path). Errors name the file, the region and the field;
 * a region id or place name given twice is an error, since a place must select one region.
 */
export function loadRegions(file: string = DEFAULT_REGIONS_FILE): RegionCatalogue {
  const hit = cache.get(file);
  if (hit) return hit;
  const data = readJsonFile(file, fileSchema);
  const seen = new Map<string, string>();
  for (const r of data.regions) {
    if (seen.has(`id:${r.id}`)) throw new Error(`${file}: 地区 ${r.id} 重复`);
    seen.set(`id:${r.id}`, r.id);
    for (const place of [...r.places, ...r.abbreviations, ...(r.within?.names ?? [])]) {
      const other = seen.get(place);
      if (other && other !== r.id) throw new Error(`${file}: 地名 ${place} 同时属于 ${other} 和 ${r.id}`);
      seen.set(place, r.id);
    }
  }
  const catalogue: RegionCatalogue = data;
  cache.set(file, catalogue);
  return catalogue;
}

/** The region with this id, if the catalogue holds it. */
export function regionEntry(id: string, catalogue: RegionCatalogue = loadRegions()): RegionEntry | undefined {
  return catalogue.regions.find((r) => r.id === id);
}

/** The label answers use for a region ("四川巴中"); the id itself for a region the catalogue lacks. */
export function regionLabel(id: string, catalogue: RegionCatalogue = loadRegions()): string {
  return regionEntry(id, catalogue)?.label ?? id;
}

/** The regions' labels in the file's order ("北京、浙江、四川巴中"). */
export function regionLabels(catalogue: RegionCatalogue = loadRegions()): string[] {
  return catalogue.regions.map((r) => r.label);
}
