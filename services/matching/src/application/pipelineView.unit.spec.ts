import { describe, expect, it } from 'vitest';
import { followUpSchedule, stageOf, statusesOf } from './pipelineView.js';

describe('pipeline view', () => {
  it('puts every status in one of the coach’s columns', () => {
    expect(stageOf('interested')).toBe('proposed');
    expect(stageOf('offered')).toBe('interview');
    expect(stageOf('employment_ended')).toBe('ended');
    expect(statusesOf('interview')).toEqual(['interviewing', 'offered']);
  });

  it('shows the follow-ups at 1, 3 and 6 months after the start with their due dates', () => {
    const hired = { status: 'hired' as const, startDate: '2026-08-31', followUps: [1] };
    expect(followUpSchedule(hired, '2026-12-03')).toEqual([
      { month: 1, dueDate: '2026-09-30', state: 'recorded' },
      { month: 3, dueDate: '2026-11-30', state: 'due' },
      { month: 6, dueDate: '2027-02-28', state: 'upcoming' },
    ]);
    expect(followUpSchedule({ ...hired, status: 'employment_ended' }, '2026-12-03').map((f) => f.state)).toEqual([
      'recorded',
      'not_needed',
      'not_needed',
    ]);
    expect(followUpSchedule({ status: 'offered', startDate: null, followUps: [] }, '2026-12-03')).toEqual([]);
  });
});
