import { describe, expect, it } from 'vitest';
import { findLikelyDuplicates, jaroWinkler, type PersonKey } from './duplicates.js';
import { nameTokens } from './nameNormalisation.js';

const person = (over: Partial<PersonKey> = {}): PersonKey => ({
  givenNames: 'Mohammed',
  familyName: 'Al-Hassan',
  dateOfBirth: '1988-03-12',
  nationalities: ['SY'],
  ...over,
});

describe('nameTokens', () => {
  it('lowercases, strips diacritics, drops particles and ignores order', () => {
    expect(nameTokens('Zoë  Müller-Lüdenscheidt')).toEqual(['ludenscheidt', 'muller', 'zoe']);
    expect(nameTokens('Al-Hassan Mohammed')).toEqual(nameTokens('Muhammad el Hasan'));
  });

  it('folds common variants of the same name', () => {
    for (const v of ['Mohammed', 'Muhammad', 'Mohamed', 'Mohammad', 'Muhammed'])
      expect(nameTokens(v)).toEqual(['muhammad']);
    expect(nameTokens('Hussein')).toEqual(nameTokens('Hossein'));
  });

  it('transliterates Greek, Cyrillic and Arabic script', () => {
    expect(nameTokens('Γιώργος Παπαδόπουλος')).toEqual(['giorgos', 'papadopoulos']);
    expect(nameTokens('Олександр Шевченко')).toEqual(['oleksandr', 'shevchenko']);
    expect(nameTokens('محمد')).toEqual(['muhammad']);
  });
});

describe('jaroWinkler', () => {
  it('is 1 for equal strings, 0 for disjoint ones, and rewards a shared prefix', () => {
    expect(jaroWinkler('martha', 'martha')).toBe(1);
    expect(jaroWinkler('abc', 'xyz')).toBe(0);
    expect(jaroWinkler('martha', 'marhta')).toBeCloseTo(0.961, 3);
  });
});

describe('findLikelyDuplicates', () => {
  const known = [
    { clientId: 'exact', ...person() },
    {
      clientId: 'variant-swapped',
      ...person({ givenNames: 'Hasan', familyName: 'Muhammad', dateOfBirth: '1988-12-03' }),
    },
    { clientId: 'arabic-script', ...person({ givenNames: 'محمد', familyName: 'الحسن' }) },
    { clientId: 'other-person', ...person({ givenNames: 'Yiannis', familyName: 'Kostas', dateOfBirth: '1988-03-12' }) },
    { clientId: 'same-name-other-birth', ...person({ dateOfBirth: '1961-07-30' }) },
    { clientId: 'alias', ...person({ givenNames: 'X', familyName: 'Y', otherNames: ['Mohamed Hassan'] }) },
  ];

  it('finds the same person across spellings, scripts, name order, swapped day/month and aliases', () => {
    const found = findLikelyDuplicates(person(), known);
    expect(found.map((c) => c.clientId).sort()).toEqual(['alias', 'arabic-script', 'exact', 'variant-swapped']);
    expect(found.map((c) => c.score)).toEqual([...found.map((c) => c.score)].sort((a, b) => b - a));
    expect(found.find((c) => c.clientId === 'exact')).toEqual({
      clientId: 'exact',
      score: 1,
      reasons: ['same_name', 'same_date_of_birth', 'shared_nationality'],
    });
    expect(found.find((c) => c.clientId === 'variant-swapped')?.reasons).toContain('day_month_swapped');
  });

  it('does not flag a different name with the same birth date, nor the same name born decades apart', () => {
    const ids = findLikelyDuplicates(person(), known).map((c) => c.clientId);
    expect(ids).not.toContain('other-person');
    expect(ids).not.toContain('same-name-other-birth');
  });

  it('scores a different nationality lower than a shared one', () => {
    const [shared] = findLikelyDuplicates(person(), [{ clientId: 'a', ...person() }], { threshold: 0 });
    const [different] = findLikelyDuplicates(person({ nationalities: ['IQ'] }), [{ clientId: 'a', ...person() }], {
      threshold: 0,
    });
    expect(different!.score).toBeLessThan(shared!.score);
  });
});
