import { loadOpenApi, type ServiceName } from './bundle.js';

type Json = unknown;
const LOCAL = '#/components/schemas/';

export interface RequestSchemas {
  /** A component schema exactly as the contract states it, refs inlined for the route validator. */
  schema(name: string): Record<string, unknown>;
  /** Query or path parameters of one operation as an object schema (fastify `querystring` / `params`). */
  parameters(path: string, method: string, where: 'query' | 'path'): Record<string, unknown> | undefined;
}

/**
 * The routes of a service validate with the schemas of its OpenAPI document, so /openapi.json documents
 * exactly what is enforced and nothing is restated by hand. Loaded lazily, once per service.
 */
export function requestSchemas(service: ServiceName): RequestSchemas {
  let document: ReturnType<typeof loadOpenApi> | undefined;
  const doc = () => (document ??= loadOpenApi(service));
  const components = () => (doc().components?.schemas ?? {}) as Record<string, Json>;

  const component = (name: string): Json => {
    const found = components()[name];
    if (found === undefined) throw new Error(`contracts/openapi/${service}.json has no components/schemas/${name}`);
    return found;
  };

  const inline = (node: Json, seen: readonly string[]): Json => {
    if (Array.isArray(node)) return node.map((n) => inline(n, seen));
    if (node === null || typeof node !== 'object') return node;
    const ref = (node as { $ref?: unknown }).$ref;
    if (typeof ref === 'string' && ref.startsWith(LOCAL)) {
      const name = ref.slice(LOCAL.length);
      if (seen.includes(name)) throw new Error(`contract schema ${name} is recursive`);
      return inline(component(name), [...seen, name]);
    }
    return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, inline(v, seen)]));
  };

  return {
    schema: (name) => inline(component(name), [name]) as Record<string, unknown>,
    parameters(path, method, where) {
      const paths = (doc() as { paths?: Record<string, Record<string, { parameters?: Json[] }>> }).paths ?? {};
      const params = (paths[path]?.[method]?.parameters ?? []).map((p) => inline(p, [])) as {
        name: string;
        in: string;
        required?: boolean;
        schema: Json;
      }[];
      const mine = params.filter((p) => p.in === where);
      if (mine.length === 0) return undefined;
      return {
        type: 'object',
        properties: Object.fromEntries(mine.map((p) => [p.name, p.schema])),
        required: mine.filter((p) => p.required).map((p) => p.name),
        additionalProperties: where === 'path',
      };
    },
  };
}
