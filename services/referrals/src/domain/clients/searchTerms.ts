import { nameTokens, skeleton } from '../nameNormalisation.js';
import type { ClientPersonalData } from './clientData.js';

/**
 * The plaintext terms a client can be found by. They never reach a table as such: the application
 * turns each into a keyed blind index (HMAC under the network secret) before it is stored or queried.
 * Pure, so what is indexed and what is asked for are derived by the same rules.
 */

/** The personal fields that have terms; a correction replaces the terms of the fields it changes. */
export const INDEXED_FIELDS = ['givenNames', 'familyName', 'otherNames', 'dateOfBirth'] as const;
export type IndexedField = (typeof INDEXED_FIELDS)[number];

export interface FieldTerm {
  field: IndexedField;
  term: string;
}

/** Doubled letters are what transliterations disagree on after vowels (Ioanna/Ioana, Hassan/Hasan). */
const single = (token: string): string => token.replace(/(.)\1+/g, '$1');

/**
 * A name token (folded, transliterated), its form with doubled letters single, its consonant skeleton,
 * and its first letters (for near misses in duplicate detection).
 */
const tokenTerms = (token: string): string[] => {
  const terms = [`tok:${token}`, `one:${single(token)}`];
  const skel = skeleton(token);
  if (skel.length >= 2) terms.push(`skel:${skel}`);
  if (token.length >= 3) terms.push(`pre:${token.slice(0, 3)}`);
  return terms;
};

const nameTerms = (names: readonly string[]): string[] => [
  ...new Set(names.flatMap((name) => nameTokens(name)).flatMap(tokenTerms)),
];

export const dateOfBirthTerm = (date: string): string => `dob:${date}`;
export const birthYearTerm = (year: number | string): string => `yob:${year}`;

/** Terms of the indexed fields present in `personal` (all of them at registration, some on correction). */
export function personTerms(personal: Partial<ClientPersonalData>): FieldTerm[] {
  const out: FieldTerm[] = [];
  const add = (field: IndexedField, terms: readonly string[]) => {
    for (const term of terms) out.push({ field, term });
  };
  if (typeof personal.givenNames === 'string') add('givenNames', nameTerms([personal.givenNames]));
  if (typeof personal.familyName === 'string') add('familyName', nameTerms([personal.familyName]));
  if (Array.isArray(personal.otherNames)) add('otherNames', nameTerms(personal.otherNames));
  if (typeof personal.dateOfBirth === 'string')
    add('dateOfBirth', [dateOfBirthTerm(personal.dateOfBirth), birthYearTerm(personal.dateOfBirth.slice(0, 4))]);
  return out;
}

/**
 * What duplicate detection looks up: people born within a year of the subject who share at least one
 * name term (a token, its skeleton, or its first three letters); the exact date of birth ranks higher.
 * Scoring then happens on the candidates' data, opened in memory.
 */
export function duplicateProbe(subject: Pick<ClientPersonalData, 'givenNames' | 'familyName' | 'dateOfBirth'>): {
  years: string[];
  names: string[];
  dateOfBirth: string;
} {
  const year = Number(subject.dateOfBirth.slice(0, 4));
  return {
    years: [year - 1, year, year + 1].map(birthYearTerm),
    names: nameTerms([subject.givenNames, subject.familyName]),
    dateOfBirth: dateOfBirthTerm(subject.dateOfBirth),
  };
}

const CALENDAR_DATE = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A caseload search: a date of birth (YYYY-MM-DD), or name tokens. Each token must match one of the
 * client's names by its folded form, its form with doubled letters single, or its consonant skeleton,
 * so "Mohammed Hasan", "Muhammad Hassan" and "Μωχάμεντ Χασάν" find the same person. Returns null when
 * the query holds nothing searchable.
 */
export function searchQuery(q: string): { allOf: string[][] } | null {
  const trimmed = q.trim();
  if (CALENDAR_DATE.test(trimmed)) return { allOf: [[dateOfBirthTerm(trimmed)]] };
  const tokens = [...new Set(nameTokens(trimmed))];
  if (tokens.length === 0) return null;
  return {
    allOf: tokens.map((token) => {
      const skel = skeleton(token);
      return [`tok:${token}`, `one:${single(token)}`, ...(skel.length >= 2 ? [`skel:${skel}`] : [])];
    }),
  };
}
