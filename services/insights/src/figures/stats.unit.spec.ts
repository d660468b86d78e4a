import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { quantiles } from './stats.js';

const nearestRank = (xs: readonly number[], q: number) => {
  const sorted = [...xs].sort((a, b) => a - b);
  return sorted[Math.max(0, Math.ceil(q * sorted.length) - 1)]!;
};

describe('quantiles by selection', () => {
  it('are the nearest-rank quantiles of the sorted values, duplicates and all', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 50 }), { minLength: 1, maxLength: 300 }),
        fc.uniqueArray(fc.integer({ min: 1, max: 100 }), { minLength: 1, maxLength: 4 }),
        (xs, percents) => {
          const qs = percents.sort((a, b) => a - b).map((p) => p / 100);
          expect(quantiles(xs, qs)).toEqual(qs.map((q) => nearestRank(xs, q)));
        },
      ),
      { numRuns: 500 },
    );
  });

  it('are null for no values', () => {
    expect(quantiles([], [0.5, 0.9])).toEqual([null, null]);
  });
});
