// Lexicon patterns compiled once: answer scoring tests them against every candidate sentence of every question.

const compiled = new Map<string, RegExp>();

/** The Unicode regular expression for a lexicon pattern, compiled on first use (no `g` flag: `test` stays stateless). */
export function compiledPattern(source: string): RegExp {
  let re = compiled.get(source);
  if (!re) {
    re = new RegExp(source, "u");
    compiled.set(source, re);
  }
  return re;
}
