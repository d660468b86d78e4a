import { loadOpenApi } from '@estia/contracts';

type Json = unknown;
const document = loadOpenApi('referrals');
const components = (document.components?.schemas ?? {}) as Record<string, Json>;
const PREFIX = '#/components/schemas/';

function component(name: string): Json {
  const found = components[name];
  if (found === undefined) throw new Error(`contracts/openapi/referrals.json has no components/schemas/${name}`);
  return found;
}

const inline = (node: Json, seen: readonly string[]): Json => {
  if (Array.isArray(node)) return node.map((n) => inline(n, seen));
  if (node === null || typeof node !== 'object') return node;
  const ref = (node as { $ref?: unknown }).$ref;
  if (typeof ref === 'string' && ref.startsWith(PREFIX)) {
    const name = ref.slice(PREFIX.length);
    if (seen.includes(name)) throw new Error(`contract schema ${name} is recursive`);
    return inline(component(name), [...seen, name]);
  }
  // `description` and friends are documentation; the validator needs only the rules.
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, inline(v, seen)]));
};

/**
 * A request schema exactly as contracts/openapi/referrals.json states it, refs inlined for the route
 * validator: /openapi.json documents what the routes enforce, from one source.
 */
export const contractSchema = (name: string): Record<string, unknown> =>
  inline(component(name), [name]) as Record<string, unknown>;

const id = contractSchema('Id');
/** Path parameters as the contract types them (the routes name them `id`, `consentId`, `needId`). */
export const pathParams = (...names: string[]): Record<string, unknown> => ({
  type: 'object',
  properties: Object.fromEntries(names.map((n) => [n, id])),
  required: names,
});
