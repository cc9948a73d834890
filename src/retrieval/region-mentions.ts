// Which places a question names: regions we hold notices for, and places we hold nothing for.
import type { Region } from "../shared/domain.ts";
import type { PlaceNames } from "./retrieval-data.ts";

/** Places named in a question. */
export interface RegionMentions {
  held: Region[];
  /** Names of places outside every held region (e.g. 深圳). */
  unheld: string[];
  /** The matched names themselves, so ranking can count them for less. */
  names: string[];
}

/** Finds place names, longest first at each position, so 南京 is never read as 京 (Beijing). */
export class RegionDetector {
  /** Names by their first character, longest first. */
  private readonly byFirst = new Map<string, Array<{ name: string; region: Region | null }>>();

  constructor(places: PlaceNames) {
    const held = Object.entries(places.held).flatMap(([region, names]) =>
      (names ?? []).map((name) => ({ name, region })),
    );
    const unheld = places.unheld.map((name) => ({ name, region: null }));
    for (const entry of [...held, ...unheld].sort((a, b) => b.name.length - a.name.length)) {
      const first = entry.name.charAt(0);
      const list = this.byFirst.get(first) ?? [];
      list.push(entry);
      this.byFirst.set(first, list);
    }
  }

  detect(text: string): RegionMentions {
    const held = new Set<Region>();
    const unheld = new Set<string>();
    const names = new Set<string>();
    let i = 0;
    while (i < text.length) {
      const hit = this.byFirst.get(text.charAt(i))?.find((n) => text.startsWith(n.name, i));
      if (!hit) {
        i++;
        continue;
      }
      names.add(hit.name);
      if (hit.region) held.add(hit.region);
      else unheld.add(hit.name);
      i += hit.name.length;
    }
    return { held: [...held], unheld: [...unheld], names: [...names] };
  }
}
