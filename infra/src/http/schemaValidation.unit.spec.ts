import { describe, expect, it } from 'vitest';
import { buildValidatorFactory } from './schemaValidation.js';

const address = {
  $id: 'https://estia.network/schemas/Address',
  type: 'object',
  properties: { latitude: { type: 'number', example: 37.9 }, postcode: { type: 'string', pattern: '^[0-9]{5}$' } },
  additionalProperties: false,
};

const compile = (schema: object, httpPart: string, keywords: string[] = []) =>
  buildValidatorFactory({ extraKeywords: keywords })({ [address.$id]: address })({
    schema,
    httpPart,
    method: 'POST',
    url: '/x',
  } as never) as unknown as ((data: unknown) => boolean) & { errors?: unknown[] };

describe('buildValidatorFactory', () => {
  it('validates bodies without coercion and coerces query strings', () => {
    const schema = { type: 'object', properties: { n: { type: 'integer' } } };
    expect(compile(schema, 'body')({ n: '5' })).toBe(false);
    const query = { n: '5' };
    expect(compile(schema, 'querystring')(query)).toBe(true);
    expect(query.n).toBe(5);
  });

  it('keeps bounds on query numbers that coerce to infinity', () => {
    const schema = { type: 'object', properties: { limit: { type: 'integer', minimum: 1, maximum: 100 } } };
    for (const limit of ['1e309', 'Infinity', '-1e309']) expect(compile(schema, 'querystring')({ limit })).toBe(false);
    expect(compile(schema, 'querystring')({ limit: '100' })).toBe(true);
  });

  it('resolves shared schemas by $id and reports all errors', () => {
    const validate = compile({ type: 'object', properties: { address: { $ref: address.$id } } }, 'body');
    expect(validate({ address: { latitude: 'north', postcode: 'x', extra: 1 } })).toBe(false);
    expect(validate.errors).toHaveLength(3);
  });

  it('speaks JSON Schema 2020-12 (prefixItems) and formats', () => {
    const validate = compile(
      {
        type: 'object',
        properties: {
          pair: { type: 'array', prefixItems: [{ type: 'string' }, { type: 'integer' }], items: false, minItems: 2 },
          at: { type: 'string', format: 'date-time' },
        },
      },
      'body',
    );
    expect(validate({ pair: ['a', 1], at: '2026-01-01T00:00:00Z' })).toBe(true);
    expect(validate({ pair: [1, 'a'] })).toBe(false);
    expect(validate({ at: 'yesterday' })).toBe(false);
  });

  it('is strict: unknown keywords and type-less constraints are refused at start-up, OpenAPI annotations are fine', () => {
    expect(() => compile({ type: 'object', propertees: {} }, 'body')).toThrow(/unknown keyword/);
    expect(() => compile({ properties: { a: { type: 'string' } } }, 'body')).toThrow(/strict mode/);
    expect(() => compile({ type: 'string', 'x-personal': true }, 'body', ['x-personal'])).not.toThrow();
  });
});
