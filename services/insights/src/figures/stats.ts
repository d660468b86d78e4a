/** Nearest-rank quantile (0 < q ≤ 1) of the values; null for none. Sorts a copy. */
export function quantile(values: ArrayLike<number>, q: number): number | null {
  if (values.length === 0) return null;
  const sorted = Float64Array.from(values).sort();
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
}

const HOUR = 3_600_000;
/** Milliseconds as hours, to one decimal. */
export const hours = (ms: number | null): number | null => (ms === null ? null : Math.round(ms / (HOUR / 10)) / 10);

/** The median and 90th percentile of durations (ms), in hours, and how many there were. */
export const durationFigures = (durations: ArrayLike<number>) => ({
  n: durations.length,
  median: hours(quantile(durations, 0.5)),
  p90: hours(quantile(durations, 0.9)),
});

/** YYYY-MM of an epoch-millisecond time, in UTC. */
export const monthOf = (ms: number): string => new Date(ms).toISOString().slice(0, 7);
