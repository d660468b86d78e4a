import { pascal, type EventFile, type JsonSchema } from './schemaFiles.js';

/**
 * Wraps the event JSON Schemas into one OpenAPI 3.1 components document, so openapi-typescript (one
 * generator for the whole package) can type them. OpenAPI 3.1 schemas are JSON Schema 2020-12, so the
 * bodies carry over unchanged; only $refs between files are rewritten to `#/components/schemas/<Name>`.
 */
export function buildEventsDocument(files: readonly EventFile[]): Record<string, unknown> {
  // Absolute schema URI (with optional `#/$defs/x`) → component name.
  const names = new Map<string, string>();
  const components: [string, JsonSchema, string][] = [];
  const add = (uri: string, name: string, schema: JsonSchema, base: string): void => {
    if ([...names.values()].includes(name)) throw new Error(`duplicate component name ${name} (${uri})`);
    names.set(uri, name);
    components.push([name, schema, base]);
  };
  for (const f of files) {
    const { $defs, ...body } = f.schema;
    // Shared definitions get plain names (LegalStatus); an event's private $defs are prefixed with it.
    const prefix = f.componentName === 'Common' ? '' : `${f.componentName}_`;
    for (const [def, schema] of Object.entries($defs ?? {}))
      add(`${f.id}#/$defs/${def}`, `${prefix}${pascal(def)}`, schema, f.id);
    if (f.componentName !== 'Common') add(f.id, f.componentName, body, f.id);
  }
  const schemas: Record<string, unknown> = {};
  for (const [name, schema, base] of components.sort((a, b) => a[0].localeCompare(b[0]))) {
    schemas[name] = rewrite(schema, base, names);
  }
  return {
    openapi: '3.1.0',
    info: { title: 'ESTIA integration events (generated wrapper)', version: '1' },
    paths: {},
    components: { schemas },
  };
}

function rewrite(node: unknown, base: string, names: Map<string, string>): unknown {
  if (Array.isArray(node)) return node.map((n) => rewrite(n, base, names));
  if (node === null || typeof node !== 'object') return node;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(node)) {
    if (k === '$schema' || k === '$id') continue;
    // if/then conditions (e.g. "reasonCode required when rejected") are validation-only; as types they
    // would only add `& unknown` noise.
    if (k === 'allOf' && Array.isArray(v) && v.every(isConditionalOnly)) continue;
    if (k === '$ref' && typeof v === 'string') {
      const abs = new URL(v, base).href.replace(/#$/, '');
      const name = names.get(abs);
      if (!name)
        throw new Error(`unresolvable $ref ${v} in ${base} (only whole files and #/$defs/<name> are supported)`);
      out[k] = `#/components/schemas/${name}`;
      continue;
    }
    out[k] = rewrite(v, base, names);
  }
  return out;
}

const isConditionalOnly = (n: unknown): boolean =>
  typeof n === 'object' && n !== null && Object.keys(n).every((k) => k === 'if' || k === 'then' || k === 'else');
