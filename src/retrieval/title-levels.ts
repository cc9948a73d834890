// Which title levels a text names (助理工程师, 工程师, 高级工程师…), longest name first.
import { LEVELS, type Level } from "../shared/domain.ts";
import type { Lexicon } from "./retrieval-data.ts";

/** A set of levels as a bit mask (bit i is LEVELS[i]): cheap to store per clause and to intersect. */
export type LevelMask = number;

const MARKER = /^\s*(?:附件\s*)?(?:[(（]?[一二三四五六七八九十\d]+[)）、.．]\s*)+/u;
const PUNCTUATION = /[\s。；;：:，,]/gu;

/**
 * Finds level names in text. The scan takes the longest name at each position and skips past it,
 * so 工程师 inside 高级工程师 (or 高级工程师 inside 正高级工程师) never counts as its own level.
 */
export class LevelDetector {
  private readonly byName = new Map<string, Level>();
  private readonly lengths: number[];
  private readonly firstChars = new Set<string>();

  constructor(lexicon: Lexicon) {
    for (const { level, names } of lexicon.levels.aliases) {
      for (const name of names) {
        this.byName.set(name, level);
        this.firstChars.add(name[0] ?? "");
      }
    }
    this.lengths = [...new Set([...this.byName.keys()].map((n) => n.length))].sort((a, b) => b - a);
  }

  /** Every level name in the text, each occurrence once, in order (longest match wins). */
  names(text: string): Array<{ name: string; level: Level }> {
    const found: Array<{ name: string; level: Level }> = [];
    for (let i = 0; i < text.length;) {
      let step = 1;
      if (this.firstChars.has(text[i] ?? "")) {
        for (const len of this.lengths) {
          const name = text.slice(i, i + len);
          const level = this.byName.get(name);
          if (level !== undefined) {
            found.push({ name, level });
            step = len;
            break;
          }
        }
      }
      i += step;
    }
    return found;
  }

  /** The levels a text names, as a mask (0 when it names none). */
  mask(text: string): LevelMask {
    let m = 0;
    for (const { level } of this.names(text)) m |= 1 << LEVELS.indexOf(level);
    return m;
  }

  /** The level of a level name, as a mask (0 for any other word). */
  maskOf(word: string): LevelMask {
    const level = this.byName.get(word);
    return level === undefined ? 0 : 1 << LEVELS.indexOf(level);
  }

  /** Whether a word is a level name (those must not be found inside longer level names). */
  isLevelName(word: string): boolean {
    return this.byName.has(word);
  }

  /**
   * The level a heading stands for when the heading is nothing but a level name ("三、高级工程师"):
   * everything under it is about that level. Longer headings only mention levels in passing.
   */
  headingLevel(heading: string): LevelMask {
    return this.maskOf(heading.replace(MARKER, "").replace(PUNCTUATION, ""));
  }
}

/** The levels of a mask, in LEVELS order. */
export function levelsOf(mask: LevelMask): Level[] {
  return LEVELS.filter((_, i) => (mask & (1 << i)) !== 0);
}
