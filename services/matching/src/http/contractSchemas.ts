import { loadOpenApi } from '@estia/contracts';

type Json = unknown;
const LOCAL = '#/components/schemas/';

let components: Record<string, Json> | undefined;
const all = (): Record<string, Json> =>
  (components ??= (loadOpenApi('matching').components?.schemas ?? {}) as Record<string, Json>);

const inline = (node: Json, seen: readonly string[]): Json => {
  if (Array.isArray(node)) return node.map((n) => inline(n, seen));
  if (node === null || typeof node !== 'object') return node;
  const ref = (node as { $ref?: unknown }).$ref;
  if (typeof ref === 'string' && ref.startsWith(LOCAL)) {
    const name = ref.slice(LOCAL.length);
    if (seen.includes(name)) throw new Error(`contract schema ${name} is recursive`);
    return inline(all()[name], [...seen, name]);
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, inline(v, seen)]));
};

/**
 * A request schema straight from contracts/openapi/matching.json (refs inlined), so the route validates
 * exactly what the published contract says: the contract is the source, the route never restates it.
 */
export const contractSchema = (name: string): Record<string, unknown> => {
  if (!(name in all())) throw new Error(`contracts/openapi/matching.json has no schema ${name}`);
  return inline(all()[name], [name]) as Record<string, unknown>;
};

/** Query and path parameters of one operation, as an object schema for fastify. */
export const parametersSchema = (
  path: string,
  method: string,
  where: 'query' | 'path',
): Record<string, unknown> | undefined => {
  const doc = loadOpenApi('matching') as { paths: Record<string, Record<string, { parameters?: Json[] }>> };
  const params = (doc.paths[path]?.[method]?.parameters ?? []).map((p) => inline(p, [])) as {
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
};

/**
 * For actions whose body is optional in the contract (resume, fill, offer …): no body means `{}`, so the
 * route's schema still checks whatever a caller does send.
 */
export const optionalBody = async (request: { body: unknown }): Promise<void> => {
  if (request.body === undefined || request.body === null) request.body = {};
};
