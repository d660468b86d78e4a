import { describe, expect, it } from 'vitest';
import { fitExponent, sizesFrom, summarise } from './curve.js';

describe('growth curve fit', () => {
  it('reads a linear cost as exponent 1 and a flat one as 0', () => {
    expect(fitExponent([1000, 4000, 10000], [2, 8, 20])).toBe(1);
    expect(fitExponent([1000, 4000, 10000], [5, 5, 5])).toBe(0);
  });

  it('reads a quadratic cost as 2 and square-root growth as 0.5', () => {
    expect(fitExponent([10, 20, 40], [100, 400, 1600])).toBe(2);
    expect(fitExponent([100, 400, 1600], [10, 20, 40])).toBe(0.5);
  });

  it('has no exponent with fewer than two positive points', () => {
    expect(fitExponent([1000], [3])).toBeNull();
    expect(fitExponent([1000, 2000], [0, 3])).toBeNull();
  });
});

describe('latency summary', () => {
  it('takes nearest-rank percentiles', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i);
    expect(summarise(samples)).toEqual({ n: 100, p50: 50, p95: 95, p99: 99, max: 100 });
  });
});

describe('sizes', () => {
  it('uses the defaults unless the variable names others', () => {
    expect(sizesFrom('ESTIA_TEST_SIZES_UNSET', [1, 2, 3])).toEqual([1, 2, 3]);
    process.env.ESTIA_TEST_SIZES = '5, 10';
    expect(sizesFrom('ESTIA_TEST_SIZES', [1])).toEqual([5, 10]);
    process.env.ESTIA_TEST_SIZES = '5,x';
    expect(() => sizesFrom('ESTIA_TEST_SIZES', [1])).toThrow(/positive/);
    delete process.env.ESTIA_TEST_SIZES;
  });
});
