import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LANGUAGES } from '../../web/src/i18n/languages.js';
import {
  ACCESS_REQUEST_STATUSES,
  ALL_REASON_CODES,
  CASE_EVENT_TYPES,
  ERASURE_REASONS,
  CONSENT_METHODS,
  CONSENT_PURPOSES,
  CONSENT_SCOPES,
  INTAKE_STATUSES,
  LEGAL_STATUSES,
  NEED_PRIORITIES,
  REFERRAL_OUTCOMES,
  REFERRAL_STATUSES,
  REGIONS,
  SERVICE_CATEGORIES,
} from '../../web/src/vocabulary.js';

const WEB = join(import.meta.dirname, '../../web/src');
const LOCALES = join(WEB, 'i18n/locales');

type Tree = { [key: string]: string | Tree };
const flatten = (tree: Tree, prefix = ''): Map<string, string> => {
  const out = new Map<string, string>();
  for (const [key, value] of Object.entries(tree)) {
    const path = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'string') out.set(path, value);
    else for (const [k, v] of flatten(value, path)) out.set(k, v);
  }
  return out;
};
const catalogue = (code: string) => flatten(JSON.parse(readFileSync(join(LOCALES, `${code}.json`), 'utf8')) as Tree);
const placeholders = (text: string) => [...text.matchAll(/\{\{\s*(\w+)\s*\}\}/g)].map((m) => m[1]).sort();

const english = catalogue('en');

const sourceFiles = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? sourceFiles(path) : /\.tsx?$/.test(name) ? [path] : [];
  });

describe('translation catalogues', () => {
  it('there is one catalogue per language of the Language control, and no other', () => {
    const files = readdirSync(LOCALES)
      .map((f) => f.replace(/\.json$/, ''))
      .sort();
    expect(files).toEqual(LANGUAGES.map((l) => l.code).sort());
  });

  it.each(LANGUAGES.filter((l) => l.code !== 'en').map((l) => l.code))(
    '%s has every key of English, no other, none empty, with the same placeholders',
    (code) => {
      const translated = catalogue(code);
      const missing = [...english.keys()].filter((k) => !translated.has(k));
      const extra = [...translated.keys()].filter((k) => !english.has(k));
      expect({ missing, extra }).toEqual({ missing: [], extra: [] });
      const empty = [...translated].filter(([, v]) => v.trim() === '').map(([k]) => k);
      expect(empty).toEqual([]);
      const mismatched = [...english]
        .filter(([k, v]) => JSON.stringify(placeholders(v)) !== JSON.stringify(placeholders(translated.get(k)!)))
        .map(([k]) => k);
      expect(mismatched).toEqual([]);
    },
  );

  it('every literal key the pages use exists', () => {
    const used = new Set<string>();
    for (const file of sourceFiles(WEB)) {
      const text = readFileSync(file, 'utf8');
      for (const m of text.matchAll(/\bt\(\s*'([a-zA-Z]+(?:\.[a-zA-Z0-9_-]+)+)'/g)) used.add(m[1]!);
    }
    expect(used.size).toBeGreaterThan(150);
    expect([...used].filter((k) => !english.has(k))).toEqual([]);
  });

  it('the vocabularies of the contracts are translated, not only the chrome', () => {
    const needs: [string, readonly string[]][] = [
      ['vocab.category', SERVICE_CATEGORIES],
      ['vocab.taxonomy', SERVICE_CATEGORIES],
      ['vocab.referralStatus', REFERRAL_STATUSES],
      ['vocab.legalStatus', LEGAL_STATUSES],
      ['vocab.purpose', CONSENT_PURPOSES],
      ['consent.purposeHint', CONSENT_PURPOSES],
      ['vocab.scope', CONSENT_SCOPES],
      ['consent.shares', CONSENT_SCOPES],
      ['vocab.consentMethod', CONSENT_METHODS],
      ['vocab.priority', NEED_PRIORITIES],
      ['vocab.outcome', REFERRAL_OUTCOMES],
      ['vocab.intake', INTAKE_STATUSES],
      ['vocab.reason', ALL_REASON_CODES],
      ['vocab.region', REGIONS],
      ['vocab.eventType', CASE_EVENT_TYPES],
      ['vocab.reason', ERASURE_REASONS],
      ['vocab.accessStatus', ACCESS_REQUEST_STATUSES],
    ];
    const missing = needs.flatMap(([prefix, values]) =>
      values.map((v) => `${prefix}.${v}`).filter((key) => !english.has(key)),
    );
    expect(missing).toEqual([]);
  });

  it('the sign-in form and the language control carry the labels people are told to look for', () => {
    expect([english.get('signIn.email'), english.get('signIn.password'), english.get('signIn.submit')]).toEqual([
      'Email',
      'Password',
      'Sign in',
    ]);
    expect(english.get('shell.language')).toBe('Language');
  });
});
