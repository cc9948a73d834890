// Generates Beijing senior-engineer profiles (seeded) for the engine benches; run directly to write N lines.
import { createWriteStream } from "node:fs";
import { fileURLToPath } from "node:url";
import type { Profile } from "../../src/shared/profile.ts";
import { seededRandom } from "../../test/dialogs/support/applicant.ts";

const pick = <T>(r: () => number, xs: readonly T[]): T => xs[Math.floor(r() * xs.length)] as T;
const ym = (r: () => number, from: number, to: number) => {
  const i = from * 12 + Math.floor(r() * ((to - from + 1) * 12));
  return `${Math.floor(i / 12)}-${String((i % 12) + 1).padStart(2, "0")}`;
};

/** The i-th generated profile: complete enough that the full Beijing senior rules are exercised. */
export function makeProfile(r: () => number, i: number): Profile & { asOf: string } {
  const graduated = ym(r, 2000, 2023);
  const obtained = ym(r, Number(graduated.slice(0, 4)), 2024);
  return {
    id: `p${i}`,
    region: "beijing",
    targetLevel: "senior",
    education: pick(r, ["junior-college", "bachelor", "master", "doctorate"] as const),
    graduated,
    specialtyWorkSince: graduated,
    currentTitle:
      r() < 0.3
        ? { level: "none" }
        : {
            level: pick(r, ["assistant", "engineer", "senior"] as const),
            series: pick(r, ["same", "other"] as const),
            obtained,
          },
    employerType: pick(r, ["state-owned", "private", "public-institution", "freelancer"] as const),
    awards:
      r() < 0.2
        ? [
            {
              kind: pick(r, [
                "provincial-sci-tech-award",
                "china-patent-silver",
                "national-standard",
                "industry-standard",
              ] as const),
              rank: 1 + Math.floor(r() * 6),
            },
          ]
        : [],
    achievements: Math.floor(r() * 6),
    performanceMet: r() < 0.8,
    continuingEducationMet: r() < 0.9,
    asOf: "2024-12-31",
  };
}

export function generateProfiles(n: number, seed = 42): Array<Profile & { asOf: string }> {
  const r = seededRandom(seed);
  return Array.from({ length: n }, (_, i) => makeProfile(r, i));
}

/** Writes `n` profiles as JSON Lines to `file`, streaming (constant memory). */
export async function writeProfiles(file: string, n: number, seed = 42): Promise<void> {
  const r = seededRandom(seed);
  const out = createWriteStream(file);
  for (let i = 0; i < n; i++) {
    if (!out.write(`${JSON.stringify(makeProfile(r, i))}\n`))
      await new Promise<void>((ok) => out.once("drain", ok));
  }
  await new Promise<void>((ok, fail) => out.end((err?: Error | null) => (err ? fail(err) : ok())));
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [file, n] = process.argv.slice(2);
  if (!file) throw new Error("usage: gen-profiles.ts FILE [N=100000]");
  await writeProfiles(file, Number(n ?? 100_000));
}
