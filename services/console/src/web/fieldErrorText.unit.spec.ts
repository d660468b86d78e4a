import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next from 'i18next';
import { describe, expect, it } from 'vitest';
import { BOUNDED_RULES } from '@estia/contracts/openapi/fieldRules.js';
import { fieldErrorText } from '../../web/src/api/fieldErrorText.js';
import { LANGUAGES } from '../../web/src/i18n/languages.js';

const LOCALES = join(import.meta.dirname, '../../web/src/i18n/locales');
const catalogue = (lang: string) => JSON.parse(readFileSync(join(LOCALES, `${lang}.json`), 'utf8')) as object;

const translator = async (lng: string) => {
  const i18n = i18next.createInstance();
  await i18n.init({
    lng,
    resources: Object.fromEntries(LANGUAGES.map((l) => [l.code, { translation: catalogue(l.code) }])),
    interpolation: { escapeValue: false },
  });
  return (key: string, options: { defaultValue: string } & Record<string, unknown>) => i18n.t(key, options);
};

describe("a field error in the reader's language", () => {
  it('words the rule the service named, with its bound', async () => {
    const ar = await translator('ar');
    expect(
      fieldErrorText(
        { pointer: '/name', detail: 'must NOT have more than 200 characters', rule: 'maxLength', limit: 200 },
        ar,
      ),
    ).toBe('الحد الأقصى للطول (بالأحرف): 200.');
    const fr = await translator('fr');
    expect(
      fieldErrorText({ pointer: '/d', detail: 'must match format "date"', rule: 'format', expected: 'date' }, fr),
    ).toBe('Saisissez une date (AAAA-MM-JJ).');
    const en = await translator('en');
    expect(
      fieldErrorText({ pointer: '/s', detail: 'must be one of: a, b', rule: 'enum', allowed: ['a', 'b'] }, en),
    ).toBe('Choose one of: a, b.');
  });

  it('says an empty text is missing, not too short', async () => {
    const uk = await translator('uk');
    expect(
      fieldErrorText(
        { pointer: '/n', detail: 'must NOT have fewer than 1 characters', rule: 'minLength', limit: 1 },
        uk,
      ),
    ).toBe('Це поле обов’язкове.');
  });

  it("keeps the service's words for a rule of its own or one it has no words for", async () => {
    const fa = await translator('fa');
    expect(fieldErrorText({ pointer: '/c', detail: 'exceeds the capacity' }, fa)).toBe('exceeds the capacity');
    expect(
      fieldErrorText({ pointer: '/c', detail: 'must match format "ipv6"', rule: 'format', expected: 'ipv6' }, fa),
    ).toBe('must match format "ipv6"');
  });

  it('has words for every rule in every language', async () => {
    const rules: [string, Partial<Parameters<typeof fieldErrorText>[0]>][] = [
      ['required', { rule: 'required' }],
      ['additionalProperties', { rule: 'additionalProperties' }],
      ['pattern', { rule: 'pattern' }],
      ['enum', { rule: 'enum', allowed: ['x'] }],
      ...[...BOUNDED_RULES].map(
        (rule) => [rule, { rule, limit: 7 }] as [string, Partial<Parameters<typeof fieldErrorText>[0]>],
      ),
      ...['number', 'integer', 'string', 'boolean'].map(
        (expected) =>
          [`type ${expected}`, { rule: 'type', expected }] as [string, Partial<Parameters<typeof fieldErrorText>[0]>],
      ),
      ...['email', 'date', 'date-time', 'uri', 'uuid'].map(
        (expected) =>
          [`format ${expected}`, { rule: 'format', expected }] as [
            string,
            Partial<Parameters<typeof fieldErrorText>[0]>,
          ],
      ),
    ];
    for (const { code } of LANGUAGES) {
      const t = await translator(code);
      for (const [name, error] of rules) {
        const text = fieldErrorText({ pointer: '/x', detail: 'SERVICE WORDS', ...error }, t);
        expect(text, `${code}: ${name}`).not.toBe('SERVICE WORDS');
        if (error.limit) expect(text, `${code}: ${name}`).toContain('7');
      }
    }
  });
});
