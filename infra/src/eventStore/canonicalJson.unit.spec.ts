import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { canonicalJson } from './canonicalJson.js';

/** The plain definition (sort every key list, join parts): the tuned writer must give the same bytes. */
function reference(value: unknown): string | undefined {
  if (value === null) return 'null';
  if (typeof value === 'string' || typeof value === 'boolean' || typeof value === 'number')
    return JSON.stringify(value);
  if (typeof value !== 'object') return undefined;
  const obj = value as { toJSON?: () => unknown };
  if (typeof obj.toJSON === 'function') return reference(obj.toJSON());
  if (Array.isArray(value)) return `[${value.map((item) => reference(item) ?? 'null').join(',')}]`;
  const record = value as Record<string, unknown>;
  const parts: string[] = [];
  for (const key of Object.keys(record).sort()) {
    const member = reference(record[key]);
    if (member !== undefined) parts.push(`${JSON.stringify(key)}:${member}`);
  }
  return `{${parts.join(',')}}`;
}

// Keys mix integer-like names (enumerated first by Object.keys, yet sorted as strings), unicode, and
// members that are dropped (undefined) or become null inside arrays.
const key = fc.oneof(
  fc.string(),
  fc.nat({ max: 120 }).map(String),
  fc.constantFrom('a', 'b', 'B', 'é', '\u{1F600}', ''),
);
const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.constant(null),
    fc.constant(undefined),
    fc.boolean(),
    fc.double({ noNaN: true, noDefaultInfinity: true }),
    fc.integer(),
    fc.string({ unit: 'binary' }),
    fc.date({ noInvalidDate: true }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(key, tie('value'), { maxKeys: 6 }),
  ),
}));

describe('canonicalJson (tuned writer)', () => {
  it('gives exactly the bytes of the plain definition for any JSON-like value', () => {
    fc.assert(
      fc.property(fc.dictionary(key, value, { maxKeys: 8 }), (input) => {
        expect(canonicalJson(input)).toBe(reference(input));
      }),
      { numRuns: 500 },
    );
  });

  it('sorts keys that arrive in insertion order, including integer-like ones, as code units', () => {
    expect(canonicalJson({ b: 1, 10: 'x', 9: 'y', a: [undefined, () => 1], B: true })).toBe(
      '{"10":"x","9":"y","B":true,"a":[null,null],"b":1}',
    );
  });
});
