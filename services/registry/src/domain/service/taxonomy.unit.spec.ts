import { describe, it, expect } from 'vitest';
import { TAXONOMY, withAncestors, withDescendants } from './taxonomy.js';

describe('service taxonomy', () => {
  it('has the required top-level categories', () => {
    const roots = TAXONOMY.filter((t) => t.parentId === null).map((t) => t.id);
    for (const id of [
      'housing',
      'legal',
      'psychosocial',
      'counselling',
      'medical',
      'language',
      'employment',
      'education_training',
      'mentoring',
      'administrative',
      'basic_needs',
      'childcare',
    ])
      expect(roots).toContain(id);
  });
  it('ids are unique and every parent exists', () => {
    const ids = TAXONOMY.map((t) => t.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const t of TAXONOMY) if (t.parentId) expect(ids).toContain(t.parentId);
  });
  it('walks up and down the hierarchy', () => {
    expect(withAncestors('emergency_shelter')).toEqual(['emergency_shelter', 'housing']);
    expect(withDescendants('housing')).toEqual([
      'housing',
      'emergency_shelter',
      'temporary_accommodation',
      'housing_search',
    ]);
    expect(withDescendants('mentoring')).toEqual(['mentoring']);
    expect(withDescendants('nope')).toEqual([]);
  });
});
