import { describe, expect, it } from 'vitest';
import { loadOpenApi, type ServiceName } from './bundle.js';

type Node = Record<string, unknown>;
const APIS: readonly ServiceName[] = ['registry', 'referrals', 'matching', 'insights'];
const METHODS = ['get', 'put', 'post', 'patch', 'delete'];
/** Names that page or size a list: each must exist as a bounded integer where it appears. */
const PAGING = new Set(['page', 'per_page', 'limit', 'offset', 'size', 'pageSize', 'page_size']);

const resolve = (document: Node, node: unknown): Node => {
  let at = (node ?? {}) as Node;
  for (let i = 0; typeof at.$ref === 'string' && i < 10; i++)
    at = (at.$ref as string)
      .replace(/^#\//, '')
      .split('/')
      .reduce<Node>((n, key) => (n[key] ?? {}) as Node, document);
  return at;
};

/** Every query parameter of every operation, with its effective schema (the bundled document resolves refs). */
const queryParameters = (api: ServiceName) => {
  const document = loadOpenApi(api) as Node;
  const out: { operation: string; name: string; schema: Node }[] = [];
  for (const [path, item] of Object.entries((document.paths ?? {}) as Record<string, Node>))
    for (const method of METHODS) {
      const operation = item[method] as Node | undefined;
      if (!operation) continue;
      const parameters = [...((item.parameters as unknown[]) ?? []), ...((operation.parameters as unknown[]) ?? [])];
      for (const raw of parameters) {
        const parameter = resolve(document, raw);
        if (parameter.in !== 'query') continue;
        out.push({
          operation: `${api} ${method.toUpperCase()} ${path}`,
          name: parameter.name as string,
          schema: resolve(document, parameter.schema),
        });
      }
    }
  return out;
};

describe('every paging and size parameter of every OpenAPI document is bounded', () => {
  const all = APIS.flatMap(queryParameters);

  it('finds the list operations (the walk sees the documents)', () => {
    expect(all.filter((p) => PAGING.has(p.name)).length).toBeGreaterThan(20);
  });

  it('paging parameters are integers with a minimum and a maximum', () => {
    const unbounded = all
      .filter((p) => PAGING.has(p.name))
      .filter((p) => p.schema.type !== 'integer' || p.schema.maximum === undefined || p.schema.minimum === undefined)
      .map((p) => `${p.operation} ?${p.name}`);
    expect(unbounded).toEqual([]);
  });

  it('every numeric query parameter has a maximum; every free string one a maxLength', () => {
    const unbounded = all
      .filter(({ schema }) =>
        schema.type === 'integer' || schema.type === 'number'
          ? schema.maximum === undefined
          : schema.type === 'string'
            ? schema.maxLength === undefined && schema.enum === undefined && schema.format === undefined
            : false,
      )
      .map((p) => `${p.operation} ?${p.name}`);
    expect(unbounded).toEqual([]);
  });
});
