// English words and typos read as the words meant ("master's" → 硕士, "硕土" → 硕士), from the dialog lexicon.
import { LEXICON, type DialogLexicon } from "../dialog-lexicon.ts";
import type { RegionCatalogue } from "../../shared/regions.ts";
import { loadRegions } from "../../shared/regions.ts";

/** The text as the parsers should read it, and a word that could be read two ways (to ask back). */
export interface Spelling {
  text: string;
  /** What was changed, "硕土" → "硕士", so a reply can say how it read the message. */
  repaired: Array<{ found: string; as: string }>;
  ambiguous?: { found: string; readings: string[] };
}

interface Variants {
  /** Misspelling → the words it may stand for, by first character, longest first. */
  byFirst: Map<string, Array<{ variant: string; targets: string[] }>>;
  /** Targets long enough for one substitution anywhere. */
  long: string[];
}

const compiled = new WeakMap<DialogLexicon, Variants>();
const placesCompiled = new WeakMap<RegionCatalogue, Array<{ pattern: RegExp; name: string }>>();

/** The regions' names in Latin letters as whole-word patterns ("beijing" → 北京), compiled once per catalogue. */
function englishPlaces(regions: RegionCatalogue): Array<{ pattern: RegExp; name: string }> {
  const hit = placesCompiled.get(regions);
  if (hit) return hit;
  const list = regions.regions.flatMap((r) =>
    r.english.map((w) => ({ pattern: new RegExp(`(?<![a-z])${w}(?![a-z])`, "g"), name: r.name })),
  );
  placesCompiled.set(regions, list);
  return list;
}

/** Every target with one character swapped for a confusable one (never a word of its own). */
function variantsOf(lex: DialogLexicon): Variants {
  const hit = compiled.get(lex);
  if (hit) return hit;
  const targets = new Set(lex.typoTargets);
  const map = new Map<string, Set<string>>();
  for (const word of lex.typoTargets) {
    [...word].forEach((c, i) => {
      for (const alt of lex.confusables.get(c) ?? "") {
        const variant = word.slice(0, i) + alt + word.slice(i + 1);
        if (targets.has(variant)) continue;
        const set = map.get(variant) ?? new Set<string>();
        set.add(word);
        map.set(variant, set);
      }
    });
  }
  const byFirst = new Map<string, Array<{ variant: string; targets: string[] }>>();
  for (const [variant, set] of [...map].sort((a, b) => b[0].length - a[0].length)) {
    const list = byFirst.get(variant.charAt(0)) ?? [];
    list.push({ variant, targets: [...set] });
    byFirst.set(variant.charAt(0), list);
  }
  const v = { byFirst, long: lex.typoTargets.filter((w) => w.length >= lex.editDistanceMinLength) };
  compiled.set(lex, v);
  return v;
}

/** Character offsets covered by a correctly written target: a repair must not cut into one. */
function exactSpans(text: string, targets: string[]): boolean[] {
  const covered: boolean[] = Array.from({ length: text.length }, () => false);
  for (const t of targets) {
    let i = text.indexOf(t);
    while (i >= 0) {
      for (let k = i; k < i + t.length; k++) covered[k] = true;
      i = text.indexOf(t, i + 1);
    }
  }
  return covered;
}

const differsByOne = (a: string, b: string): boolean => {
  if (a.length !== b.length) return false;
  let diff = 0;
  for (let i = 0; i < a.length && diff < 2; i++) if (a[i] !== b[i]) diff++;
  return diff === 1;
};

/**
 * English words (whole words only) and region names in Latin letters become the Chinese the
 * parsers read; a typo becomes its word when one reading fits: a swap of a confusable character
 * (土/士, 页/业) in any target, or one substituted character in a target of at least
 * `editDistanceMinLength` characters. Two-character words are never matched by edit distance, so
 * 女士 and 护士 stay what they are. A misspelling two targets fit equally is returned as ambiguous.
 */
export function readSpelling(
  input: string,
  lex: DialogLexicon = LEXICON,
  regions: RegionCatalogue = loadRegions(),
): Spelling {
  let text = input;
  const repaired: Spelling["repaired"] = [];
  if (/[a-z]/.test(text)) {
    for (const { pattern, as } of lex.english) text = text.replace(pattern, as);
    for (const { pattern, name } of englishPlaces(regions)) text = text.replace(pattern, name);
  }
  const { byFirst, long } = variantsOf(lex);
  let covered = exactSpans(text, lex.typoTargets);
  let ambiguous: Spelling["ambiguous"];
  let out = "";
  for (let i = 0; i < text.length;) {
    const hit = covered[i]
      ? undefined
      : byFirst.get(text.charAt(i))?.find(({ variant }) => {
          if (!text.startsWith(variant, i)) return false;
          for (let k = i; k < i + variant.length; k++) if (covered[k]) return false;
          return true;
        });
    if (!hit) {
      out += text.charAt(i);
      i++;
      continue;
    }
    const [only, ...others] = hit.targets;
    if (only && others.length === 0) {
      out += only;
      repaired.push({ found: hit.variant, as: only });
    } else {
      out += hit.variant;
      ambiguous ??= { found: hit.variant, readings: hit.targets };
    }
    i += hit.variant.length;
  }
  text = out;
  covered = exactSpans(text, lex.typoTargets);
  for (let i = 0; i < text.length; i++) {
    const fits = new Map<number, string[]>();
    for (const w of long) {
      const window = text.slice(i, i + w.length);
      if (window.length < w.length || !differsByOne(window, w)) continue;
      if ([...window].some((_, k) => covered[i + k])) continue;
      fits.set(w.length, [...(fits.get(w.length) ?? []), w]);
    }
    const best = [...fits].sort((a, b) => b[0] - a[0])[0];
    if (!best) continue;
    const [len, words] = best;
    const found = text.slice(i, i + len);
    if (words.length === 1 && words[0]) {
      text = text.slice(0, i) + words[0] + text.slice(i + len);
      repaired.push({ found, as: words[0] });
      covered = exactSpans(text, lex.typoTargets);
      i += len - 1;
    } else ambiguous ??= { found, readings: words };
  }
  return { text, repaired, ...(ambiguous ? { ambiguous } : {}) };
}
