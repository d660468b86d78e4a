import { describe, expect, it } from 'vitest';
import { periodProblem } from '../../web/src/screens/insights/periodProblem.js';

describe('the period of an insights report', () => {
  it('a period ending before it starts is named at the To field, in the words given', () => {
    const problem = periodProblem({ from: '2026-12-01', to: '2026-01-01' }, 'ends before it starts');
    expect(problem?.status).toBe(400);
    expect(problem?.problem.errors).toEqual([{ pointer: '/to', detail: 'ends before it starts' }]);
  });

  it('one day, an open start or an open end is a period', () => {
    expect(periodProblem({ from: '2026-01-01', to: '2026-01-01' }, 'x')).toBeNull();
    expect(periodProblem({ to: '2026-01-01' }, 'x')).toBeNull();
    expect(periodProblem({ from: '2026-01-01' }, 'x')).toBeNull();
  });
});
