import { describe, expect, it } from 'vitest';
import { normaliseText } from './textSafety.js';

describe('text safety: NFC, no control or bidi formatting characters', () => {
  it('brings every string of a body to NFC, nested and in arrays', () => {
    const body = { name: 'Cafe\u0301', people: [{ familyName: 'Mu\u0308ller' }], count: 3 };
    expect(normaliseText(body)).toEqual([]);
    expect(body).toEqual({ name: 'Caf\u00e9', people: [{ familyName: 'M\u00fcller' }], count: 3 });
  });

  it('refuses C0 (but tab and line breaks in free text), DEL, C1 and bidi embeddings, overrides and isolates', () => {
    for (const bad of [
      '\u0000',
      '\u0007',
      '\u001b',
      '\u007f',
      '\u0085',
      '\u009f',
      '\u202a',
      '\u202e',
      '\u2066',
      '\u2069',
    ])
      expect(normaliseText({ text: `a${bad}b` }), JSON.stringify(bad)).toEqual([
        { pointer: '/body/text', detail: expect.stringContaining('U+') },
      ]);
    expect(normaliseText({ text: 'line one\nline two\tindented\r\n' })).toEqual([]);
    // Direction marks are how typed Arabic and Hebrew text carry their direction; they are kept.
    expect(normaliseText({ text: 'محمد\u200f 12' })).toEqual([]);
  });

  it('names and titles are one line', () => {
    expect(normaliseText({ familyName: 'Ali\nBaba', title: 'a\tb', note: 'a\nb' }).map((e) => e.pointer)).toEqual([
      '/body/familyName',
      '/body/title',
    ]);
  });

  it('names the field by JSON pointer, escaping / and ~, and survives a deeply nested body', () => {
    expect(normaliseText({ 'a/b': [{ '~x': 'bad\u0000' }] }).map((e) => e.pointer)).toEqual(['/body/a~1b/0/~0x']);
    let deep: unknown = 'bad\u202e';
    for (let i = 0; i < 100_000; i++) deep = [deep];
    expect(normaliseText(deep)).toHaveLength(1);
  });
});
