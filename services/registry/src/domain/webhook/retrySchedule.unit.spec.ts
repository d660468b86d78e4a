import { describe, expect, it } from 'vitest';
import { failedTooLong, MAX_ATTEMPTS, nextAttemptAt } from './retrySchedule.js';

describe('webhook retry schedule', () => {
  it('follows Standard Webhooks: at once, 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h', () => {
    const t0 = new Date('2026-03-01T00:00:00.000Z');
    const gaps: number[] = [];
    for (let made = 0; made < MAX_ATTEMPTS; made++)
      gaps.push((nextAttemptAt(made, t0)!.getTime() - t0.getTime()) / 1000);
    expect(gaps).toEqual([0, 5, 300, 1800, 7200, 18000, 36000, 36000]);
    expect(nextAttemptAt(MAX_ATTEMPTS, t0)).toBeNull();
  });
  it('disables after five days of failures without a success', () => {
    const since = new Date('2026-03-01T00:00:00.000Z');
    expect(failedTooLong(since, new Date('2026-03-05T23:59:59.000Z'))).toBe(false);
    expect(failedTooLong(since, new Date('2026-03-06T00:00:00.000Z'))).toBe(true);
    expect(failedTooLong(null, new Date('2030-01-01T00:00:00.000Z'))).toBe(false);
  });
});
