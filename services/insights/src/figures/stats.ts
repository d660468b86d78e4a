/** The nearest rank (0-based) of quantile q (0 < q ≤ 1) among n values. */
const rank = (n: number, q: number) => Math.max(0, Math.ceil(q * n) - 1);

/**
 * Moves the k-th smallest of a[lo..hi] to a[k], the smaller ones before it and the larger after it
 * (quickselect, median-of-three pivots): linear on average, where sorting a year's durations is not.
 */
function select(a: Float64Array, k: number, lo: number, hi: number): number {
  while (hi > lo) {
    const mid = (lo + hi) >>> 1;
    // Median of three to a[mid], then Hoare partition around its value.
    if (a[mid]! < a[lo]!) swap(a, mid, lo);
    if (a[hi]! < a[lo]!) swap(a, hi, lo);
    if (a[hi]! < a[mid]!) swap(a, hi, mid);
    const pivot = a[mid]!;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (a[i]! < pivot) i++;
      while (a[j]! > pivot) j--;
      if (i <= j) swap(a, i++, j--);
    }
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else break;
  }
  return a[k]!;
}

function swap(a: Float64Array, i: number, j: number): void {
  const t = a[i]!;
  a[i] = a[j]!;
  a[j] = t;
}

/** Nearest-rank quantiles (0 < q ≤ 1, ascending) of the values; nulls for none. Selects in a copy. */
export function quantiles(values: ArrayLike<number>, qs: readonly number[]): (number | null)[] {
  if (values.length === 0) return qs.map(() => null);
  const a = Float64Array.from(values);
  let lo = 0;
  return qs.map((q) => {
    const k = rank(a.length, q);
    // Everything before the last rank found is no larger: the next one is selected in the rest.
    const v = select(a, k, Math.min(lo, k), a.length - 1);
    lo = k;
    return v;
  });
}

/** Nearest-rank quantile (0 < q ≤ 1) of the values; null for none. */
export const quantile = (values: ArrayLike<number>, q: number): number | null => quantiles(values, [q])[0]!;

const HOUR = 3_600_000;
/** Milliseconds as hours, to one decimal. */
export const hours = (ms: number | null): number | null => (ms === null ? null : Math.round(ms / (HOUR / 10)) / 10);

/** The median and 90th percentile of durations (ms), in hours, and how many there were. */
export const durationFigures = (durations: ArrayLike<number>) => {
  const [median, p90] = quantiles(durations, [0.5, 0.9]);
  return { n: durations.length, median: hours(median!), p90: hours(p90!) };
};

/** YYYY-MM of an epoch-millisecond time, in UTC. */
export const monthOf = (ms: number): string => new Date(ms).toISOString().slice(0, 7);
