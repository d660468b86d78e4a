import { describe, expect, it } from 'vitest';
import { compareFigures, sortRows, type Published } from '../../web/src/screens/insights/figures.js';

describe('sorting published figures', () => {
  const values: Published[] = [12, '<5', null, 5, '<5', 40];

  it('largest first puts "<5" below every shown figure and "nothing to measure" last', () => {
    expect(sortRows(values, (v) => v, 'descending')).toEqual([40, 12, 5, '<5', '<5', null]);
  });

  it('smallest first puts "<5" first, and "nothing to measure" still last', () => {
    expect(sortRows(values, (v) => v, 'ascending')).toEqual(['<5', '<5', 5, 12, 40, null]);
  });

  it('keeps equal figures in the order the service gave them', () => {
    const rows = [
      { name: 'b', received: '<5' as const },
      { name: 'a', received: '<5' as const },
      { name: 'c', received: 7 },
    ];
    expect(sortRows(rows, (r) => r.received, 'ascending').map((r) => r.name)).toEqual(['b', 'a', 'c']);
    expect(compareFigures('<5', '<5', 'descending')).toBe(0);
  });
});
