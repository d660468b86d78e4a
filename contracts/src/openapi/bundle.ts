import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { contractsRoot } from '../schemas/schemaFiles.js';

export type OpenApiDocument = Record<string, unknown> & { components?: Record<string, Record<string, unknown>> };
/** The services behind the console, each with its OpenAPI document (insights: aggregate figures, no cases). */
export type ServiceName = 'registry' | 'referrals' | 'matching' | 'insights';

const COMMON_PREFIX = 'common.json#/components/';
export const openapiDir = join(contractsRoot, 'openapi');

const readJson = (name: string): OpenApiDocument =>
  JSON.parse(readFileSync(join(openapiDir, name), 'utf8')) as OpenApiDocument;

/**
 * Turns a service document that references `common.json#/components/<kind>/<name>` into one
 * self-contained document: the referenced shared components (and what they reference) are copied into
 * its components and the refs become local. Tools that do not follow external refs (@fastify/swagger,
 * openapi-typescript without a bundler, Swagger UI) then see one file.
 */
export function bundleOpenApi(
  doc: OpenApiDocument,
  common: OpenApiDocument = readJson('common.json'),
): OpenApiDocument {
  const needed = new Set<string>();
  const collect = (node: unknown, local: boolean): void => {
    if (Array.isArray(node)) return node.forEach((n) => collect(n, local));
    if (node === null || typeof node !== 'object') return;
    for (const [k, v] of Object.entries(node)) {
      if (k === '$ref' && typeof v === 'string') {
        const target = v.startsWith(COMMON_PREFIX)
          ? v.slice(COMMON_PREFIX.length)
          : local && v.startsWith('#/components/')
            ? v.slice(13)
            : undefined;
        if (target !== undefined && !needed.has(target)) {
          needed.add(target);
          collect(lookup(common, target), true);
        }
      } else collect(v, local);
    }
  };
  collect(doc, false);

  const out = rewriteRefs(structuredClone(doc)) as OpenApiDocument;
  const components: Record<string, Record<string, unknown>> = (out.components ??= {});
  for (const path of [...needed].sort()) {
    const [kind, name] = path.split('/') as [string, string];
    const section = (components[kind] ??= {});
    const existing = section[name] as { $ref?: string } | undefined;
    // A service may list a shared component under the same name (`oauth2: {$ref: common.json#/...}`);
    // after rewriting that would point at itself, so it is replaced by the shared definition.
    if (existing !== undefined && existing.$ref !== `#/components/${path}`) {
      throw new Error(`bundleOpenApi: components/${path} is defined both locally and in common.json`);
    }
    section[name] = rewriteRefs(structuredClone(lookup(common, path)));
  }
  for (const kind of Object.keys(components)) components[kind] = sortKeys(components[kind]!);
  return out;
}

/** The bundled OpenAPI 3.1 document of one service (fresh copy: callers may add their paths to it). */
export function loadOpenApi(service: ServiceName): OpenApiDocument {
  return bundleOpenApi(readJson(`${service}.json`));
}

function lookup(common: OpenApiDocument, path: string): unknown {
  const [kind, name] = path.split('/') as [string, string];
  const found = common.components?.[kind]?.[name];
  if (found === undefined) throw new Error(`bundleOpenApi: common.json has no components/${path}`);
  return found;
}

function rewriteRefs(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(rewriteRefs);
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    out[k] =
      k === '$ref' && typeof v === 'string' && v.startsWith('common.json#')
        ? v.slice('common.json'.length)
        : rewriteRefs(v);
  }
  return out;
}

const sortKeys = (o: Record<string, unknown>): Record<string, unknown> =>
  Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));
