import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { SUPPRESSED, publish, publishOver, suppressedCells, type SuppressionGroup } from './suppression.js';

const table = (values: Record<string, number>, groups: SuppressionGroup[]) => ({
  counts: new Map(Object.entries(values)),
  groups,
});

describe('small-cell suppression', () => {
  it('given a cell below 5, when published, then it reads "<5" (zero included) and the others their number', () => {
    const hidden = suppressedCells(table({ a: 4, b: 0, c: 5 }, []));
    expect([publish(hidden, 'a', 4), publish(hidden, 'b', 0), publish(hidden, 'c', 5)]).toEqual([
      SUPPRESSED,
      SUPPRESSED,
      5,
    ]);
  });

  it('given one hidden part and a visible total, then the smallest other part is hidden too', () => {
    // total 30 = 3 + 12 + 15: with only the 3 hidden, 30 - 12 - 15 would give it away.
    const hidden = suppressedCells(table({ t: 30, a: 3, b: 12, c: 15 }, [{ total: 't', parts: ['a', 'b', 'c'] }]));
    expect([...hidden].sort()).toEqual(['a', 'b']);
  });

  it('given a hidden total and visible parts, then a part is hidden (the sum would give the total)', () => {
    const hidden = suppressedCells(table({ t: 4, a: 0, b: 4 }, [{ total: 't', parts: ['a', 'b'] }]));
    expect(hidden.has('t') && hidden.has('a') && hidden.has('b')).toBe(true);
  });

  it('given a group with one part only, then hiding the part hides the total', () => {
    const hidden = suppressedCells(table({ t: 3, a: 3 }, [{ total: 't', parts: ['a'] }]));
    expect([...hidden].sort()).toEqual(['a', 't']);
  });

  it('carries complementary hiding across overlapping groups until none has a lone hidden cell', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(fc.nat(20), { minLength: 1, maxLength: 5 }), { minLength: 1, maxLength: 5 }),
        (grid) => {
          // A two-way table: row totals, column totals and the grand total, as in the reports.
          const values: Record<string, number> = {};
          const groups: SuppressionGroup[] = [];
          const width = Math.max(...grid.map((r) => r.length));
          const rows = grid.map((r) => [...r, ...Array(width - r.length).fill(0)] as number[]);
          rows.forEach((r, i) => {
            r.forEach((v, j) => (values[`${i}.${j}`] = v));
            values[`${i}.T`] = r.reduce((a, b) => a + b, 0);
            groups.push({ total: `${i}.T`, parts: r.map((_, j) => `${i}.${j}`) });
          });
          for (let j = 0; j < width; j++) {
            values[`T.${j}`] = rows.reduce((a, r) => a + r[j]!, 0);
            groups.push({ total: `T.${j}`, parts: rows.map((_, i) => `${i}.${j}`) });
          }
          values['T.T'] = rows.flat().reduce((a, b) => a + b, 0);
          groups.push({ total: 'T.T', parts: rows.map((_, i) => `${i}.T`) });
          const hidden = suppressedCells(table(values, groups));
          for (const [id, v] of Object.entries(values)) if (v < 5) expect(hidden.has(id)).toBe(true);
          for (const g of groups) expect([g.total, ...g.parts].filter((c) => hidden.has(c)).length).not.toBe(1);
        },
      ),
    );
  });

  it('shows a median or share only when measured over at least 5 people', () => {
    expect(publishOver(4, 12.5)).toBe(SUPPRESSED);
    expect(publishOver(5, 12.5)).toBe(12.5);
    expect(publishOver(0, null)).toBeNull();
  });
});
