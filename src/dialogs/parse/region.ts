// Regions named in a message, from knowledge/regions.json: a held region, a province wider than one, or a place we hold nothing for.
import type { Region } from "../../shared/domain.ts";
import { loadRegions, type RegionCatalogue } from "../../shared/regions.ts";

/** A region we hold notices for, a province only part of which we hold, or a place we hold none for. */
export type RegionParse =
  | { kind: "region"; value: Region }
  | { kind: "province"; province: string; regions: Region[] }
  | { kind: "unsupported"; place: string };

type Entry = { name: string; parse: RegionParse };

const compiled = new WeakMap<RegionCatalogue, Map<string, Entry[]>>();

/** Names by first character, longest first, so 南京 is never read as 京 and 巴中经开区 wins over 巴中. */
function namesOf(catalogue: RegionCatalogue): Map<string, Entry[]> {
  const hit = compiled.get(catalogue);
  if (hit) return hit;
  const entries: Entry[] = [];
  const provinces = new Map<string, Region[]>();
  for (const r of catalogue.regions) {
    const id = r.id;
    // One-character abbreviations are left to retrieval: in chat 京 is as likely 京东.
    for (const name of r.places) entries.push({ name, parse: { kind: "region", value: id } });
    if (r.within) {
      const list = provinces.get(r.within.name) ?? [];
      list.push(id);
      provinces.set(r.within.name, list);
      for (const city of r.within.cities)
        entries.push({ name: city, parse: { kind: "unsupported", place: city } });
    }
  }
  for (const r of catalogue.regions) {
    if (!r.within) continue;
    const parse: RegionParse = {
      kind: "province",
      province: r.within.name,
      regions: provinces.get(r.within.name) ?? [],
    };
    for (const name of r.within.names) if (name.length > 1) entries.push({ name, parse });
  }
  for (const place of catalogue.unheld) entries.push({ name: place, parse: { kind: "unsupported", place } });
  const byFirst = new Map<string, Entry[]>();
  for (const e of entries.sort((a, b) => b.name.length - a.name.length)) {
    const list = byFirst.get(e.name.charAt(0)) ?? [];
    list.push(e);
    byFirst.set(e.name.charAt(0), list);
  }
  compiled.set(catalogue, byFirst);
  return byFirst;
}

/**
 * The place a text names (`text` already normalised). A held region wins over a wider province or an
 * unheld place named in the same text ("四川巴中" is Bazhong), a city over its province ("四川绵阳");
 * otherwise the first place named.
 */
export function parseRegion(
  text: string,
  catalogue: RegionCatalogue = loadRegions(),
): RegionParse | undefined {
  const byFirst = namesOf(catalogue);
  let first: RegionParse | undefined;
  let i = 0;
  while (i < text.length) {
    const hit = byFirst.get(text.charAt(i))?.find((e) => text.startsWith(e.name, i));
    if (!hit) {
      i++;
      continue;
    }
    if (hit.parse.kind === "region") return hit.parse;
    // "四川绵阳": the city says more than its province.
    if (!first || (first.kind === "province" && hit.parse.kind === "unsupported")) first = hit.parse;
    i += hit.name.length;
  }
  return first;
}
