// Latency percentiles of a bench's samples, one definition for every section.

/** p50, p99 and max of `samples` (nearest rank), rounded to `decimals` places. */
export function latencySummary(
  samples: readonly number[],
  decimals = 2,
): { p50: number; p99: number; max: number } {
  const sorted = [...samples].sort((a, b) => a - b);
  const scale = 10 ** decimals;
  const round = (v: number) => Math.round(v * scale) / scale;
  const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return { p50: round(at(0.5)), p99: round(at(0.99)), max: round(sorted[sorted.length - 1] ?? 0) };
}
