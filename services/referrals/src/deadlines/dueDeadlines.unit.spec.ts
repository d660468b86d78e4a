import { describe, expect, it } from 'vitest';
import { parseAsOf } from '../audit/asOf.js';
import { dueDeadlines } from './dueDeadlines.js';

const t = { permitDays: 30, receptionDays: 14 };

describe('dueDeadlines', () => {
  it('takes each date within its own threshold, today and the last day included, past dates not', () => {
    const due = dueDeadlines(
      {
        status: 'refugee',
        workPermit: { validFrom: '2024-01-01', validUntil: '2025-03-31' },
        residencePermit: { validFrom: '2024-01-01', validUntil: '2025-04-01' },
        mustLeaveReceptionBy: '2025-03-01',
      },
      '2025-03-01',
      t,
    );
    expect(due).toEqual([
      { deadline: 'work_permit', dueDate: '2025-03-31', thresholdDays: 30, daysLeft: 30 },
      { deadline: 'reception_exit', dueDate: '2025-03-01', thresholdDays: 14, daysLeft: 0 },
    ]);
    expect(dueDeadlines({ status: 'refugee', mustLeaveReceptionBy: '2025-02-28' }, '2025-03-01', t)).toEqual([]);
    expect(dueDeadlines({ status: 'refugee', mustLeaveReceptionBy: '2025-03-16' }, '2025-03-01', t)).toEqual([]);
    expect(dueDeadlines(undefined, '2025-03-01', t)).toEqual([]);
  });
});

describe('parseAsOf', () => {
  it('reads a date as the end of that day (UTC) and an instant with a zone as itself', () => {
    expect(parseAsOf('2025-03-01', '/q')).toBe('2025-03-01T23:59:59.999Z');
    expect(parseAsOf('2025-03-01T12:00:00+02:00', '/q')).toBe('2025-03-01T10:00:00.000Z');
  });
  it('refuses anything else naming the pointer', () => {
    for (const bad of ['2025-02-30', '2025-03-01T12:00:00', 'yesterday', '1740787200'])
      expect(() => parseAsOf(bad, '/querystring/asOf'), bad).toThrow(/\/querystring\/asOf/);
  });
});
