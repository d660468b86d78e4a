import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { epochDay } from '../domain/shared/dates.js';
import { epochDayOf } from './epochDayOf.js';

const pad = (n: number, width: number) => String(n).padStart(width, '0');

describe('epochDayOf', () => {
  it('is epochDay for every YYYY-MM-DD, days past the month end and out-of-range months included', () =>
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 9999 }),
        fc.integer({ min: 0, max: 13 }),
        fc.integer({ min: 0, max: 32 }),
        (y, m, d) => {
          const date = `${pad(y, 4)}-${pad(m, 2)}-${pad(d, 2)}`;
          expect(epochDayOf(date)).toEqual(epochDay(date));
        },
      ),
      { numRuns: 5000 },
    ));

  it('is epochDay for instants and malformed text', () => {
    for (const text of ['2026-11-10T09:00:00.000Z', '2026-1-10', '2026/11/10', 'x026-11-10', '', '+02026-01-01'])
      expect(epochDayOf(text)).toEqual(epochDay(text));
  });
});
