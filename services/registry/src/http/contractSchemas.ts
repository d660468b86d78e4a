import { loadOpenApi } from '@estia/contracts';

type Json = unknown;
const document = loadOpenApi('registry');
const components = (document.components?.schemas ?? {}) as Record<string, Json>;
const PREFIX = '#/components/schemas/';

const inline = (node: Json, seen: readonly string[]): Json => {
  if (Array.isArray(node)) return node.map((n) => inline(n, seen));
  if (node === null || typeof node !== 'object') return node;
  const ref = (node as { $ref?: unknown }).$ref;
  if (typeof ref === 'string' && ref.startsWith(PREFIX)) {
    const name = ref.slice(PREFIX.length);
    if (seen.includes(name)) throw new Error(`contract schema ${name} is recursive`);
    return inline(contractComponent(name), [...seen, name]);
  }
  return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, inline(v, seen)]));
};

function contractComponent(name: string): Json {
  const found = components[name];
  if (found === undefined) throw new Error(`contracts/openapi/registry.json has no components/schemas/${name}`);
  return found;
}

/**
 * A request schema exactly as the contract (contracts/openapi/registry.json) states it, with its refs
 * inlined for the route validator: /openapi.json documents what the routes enforce, from one source.
 */
export const contractSchema = (name: string): Record<string, unknown> =>
  inline(contractComponent(name), [name]) as Record<string, unknown>;
