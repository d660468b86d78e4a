import { describe, expect, it } from 'vitest';
import { EscoAutocomplete } from './autocomplete.js';
import { sharedEsco } from './loadEsco.js';
import { prefixEditDistance } from './normalise.js';

const esco = sharedEsco();
const autocomplete = new EscoAutocomplete(esco);
const top = (query: string, kinds?: ('occupation' | 'skill')[]) =>
  autocomplete.suggest(query, { limit: 5, ...(kinds ? { kinds } : {}) }).map((s) => s.preferredLabel);

describe('ESCO dataset', () => {
  it('carries the published 1.1.1 counts', () => {
    expect(esco.version).toBe('1.1.1');
    expect(esco.occupationCount).toBe(3007);
    expect(esco.skillCount).toBe(13896);
    expect(esco.dataset.isco).toHaveLength(619);
    // 123,855 in the source minus the 67 of the one occupation 1.1.1 does not release.
    const relations = [...esco.dataset.essential, ...esco.dataset.optional].reduce((n, l) => n + l.length, 0);
    expect(relations).toBe(123_788);
  });

  it('looks occupations up by short id or URI, with the ISCO-08 path', () => {
    const byId = esco.occupation('00030d09-2b3a-4efd-87cc-c4ea39d27c34');
    expect(byId?.preferredLabel).toBe('technical director');
    expect(esco.occupation(byId!.uri)).toEqual(byId);
    expect(esco.iscoPath(byId!.isco).map((g) => g.code)).toEqual(['2', '26', '265', '2654']);
    expect(esco.essentialSkills(byId!.id).length).toBeGreaterThan(0);
  });

  it('returns null, not an error, for unknown codes', () => {
    expect(esco.occupation('00000000-0000-0000-0000-000000000000')).toBeNull();
    expect(esco.skill('not-a-skill')).toBeNull();
    expect(esco.iscoGroup('99999')).toBeNull();
    expect(esco.occupationIndex('nope')).toBe(-1);
    expect(esco.essentialSkillIndices('nope')).toEqual([]);
  });
});

describe('ESCO autocomplete', () => {
  it('tolerates a missing letter: "carpnter" finds carpenter first', () => {
    expect(top('carpnter', ['occupation'])[0]).toBe('carpenter');
  });

  it('completes every token: "softw dev" finds software developer first', () => {
    expect(top('softw dev')[0]).toBe('software developer');
  });

  it('ranks a preferred label above an alternative label that matches as well', () => {
    // "welder" is the preferred label of welder and an alt label of laser beam welder.
    const results = autocomplete.suggest('welder', { kinds: ['occupation'], limit: 3 });
    expect(results[0]).toMatchObject({ preferredLabel: 'welder', matchedLabel: 'welder' });
    const alt = autocomplete
      .suggest('welder', { kinds: ['occupation'], limit: 20 })
      .find((s) => s.matchedLabel !== s.preferredLabel);
    expect(alt!.score).toBeLessThan(results[0]!.score);
  });

  it('finds a concept through an alternative label and names it', () => {
    const hit = autocomplete.suggest('car mechanic', { kinds: ['occupation'], limit: 1 })[0];
    expect(hit).toMatchObject({ preferredLabel: 'vehicle technician', matchedLabel: 'car mechanic' });
  });

  it('filters by kind and completes the first letters', () => {
    expect(autocomplete.suggest('gr', { kinds: ['skill'], limit: 5 }).every((s) => s.kind === 'skill')).toBe(true);
    expect(top('we', ['occupation'])).toContain('welder');
  });

  it('gives nothing for gibberish or an empty query', () => {
    expect(autocomplete.suggest('xqzvwk')).toEqual([]);
    expect(autocomplete.suggest('  ')).toEqual([]);
  });

  it('is deterministic', () => {
    expect(autocomplete.suggest('nurse', { limit: 20 })).toEqual(autocomplete.suggest('nurse', { limit: 20 }));
  });
});

describe('prefixEditDistance', () => {
  it('measures against the closest prefix, counting a transposition once', () => {
    expect(prefixEditDistance('softw', 'software', 2)).toBe(0);
    expect(prefixEditDistance('sofwt', 'software', 2)).toBe(1);
    expect(prefixEditDistance('carpnter', 'carpenter', 2)).toBe(1);
    expect(prefixEditDistance('xyz', 'software', 1)).toBe(2);
  });
});
