import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { contractsRoot } from '../schemas/schemaFiles.js';
import { toFieldErrors, type FieldError } from '../validation/fieldErrors.js';

const addFormats = addFormatsModule as unknown as typeof addFormatsModule.default;

/** Base the HSDS files reference each other by (as in their own openapi.json); relative $refs resolve against it. */
export const HSDS_BASE_URI = 'https://raw.githubusercontent.com/openreferral/specification/3.0/schema/';
export const hsdsDir = join(contractsRoot, 'hsds-3.0', 'schema');

const PAGED = {
  services_page: 'compiled/service_list.json',
  organizations_page: 'compiled/organization_list.json',
  service_at_locations_page: 'compiled/service_at_location_list.json',
  taxonomies_page: 'taxonomy.json',
  taxonomy_terms_page: 'taxonomy_term.json',
} as const;

/** Which schema each kind uses: the compiled (nested) ones for full bodies, list variants for pages. */
const KINDS = {
  service: 'compiled/service.json',
  organization: 'compiled/organization.json',
  service_at_location: 'compiled/service_at_location.json',
  service_list: 'compiled/service_list.json',
  organization_list: 'compiled/organization_list.json',
  service_at_location_list: 'compiled/service_at_location_list.json',
  taxonomy: 'taxonomy.json',
  taxonomy_term: 'taxonomy_term.json',
  location: 'location.json',
  page: 'estia/page.json',
  api_info: 'estia/api_info.json',
  ...Object.fromEntries(Object.keys(PAGED).map((k) => [k, `estia/${k}.json`])),
} as { [K in HsdsKind]: string };

/**
 * Bodies the HSDS API returns: single resources (`/services/{id}` → service, ...), list items, and the
 * paginated lists of the HSDS openapi.json (`/services` → services_page, ...). `page` checks only the
 * pagination members; `api_info` is the body of `/`.
 */
export type HsdsKind =
  | 'service'
  | 'organization'
  | 'service_at_location'
  | 'service_list'
  | 'organization_list'
  | 'service_at_location_list'
  | 'taxonomy'
  | 'taxonomy_term'
  | 'location'
  | 'page'
  | 'api_info'
  | keyof typeof PAGED;

export const HSDS_KINDS = Object.keys(KINDS) as HsdsKind[];

let ajv: Ajv2020 | undefined;
const validators = new Map<HsdsKind, ValidateFunction>();

function hsdsAjv(): Ajv2020 {
  if (ajv) return ajv;
  // strict: false — the files carry Frictionless Data Package annotations (name, path, constraints,
  // datapackage_metadata, tabular_required, ...) that are not JSON Schema keywords; we leave the files as published.
  const instance = new Ajv2020({ strict: false, allErrors: true, validateFormats: true });
  addFormats(instance);
  // Upstream uses `format: "csv"` (a Frictionless hint) and once `datetime` (a typo of date-time): not checked.
  instance.addFormat('csv', true);
  instance.addFormat('datetime', true);
  const read = (rel: string): Record<string, unknown> => JSON.parse(readFileSync(join(hsdsDir, rel), 'utf8'));
  const files = [
    ...readdirSync(hsdsDir).filter((n) => n.endsWith('.json') && n !== 'openapi.json'),
    ...readdirSync(join(hsdsDir, 'compiled'))
      .filter((n) => n.endsWith('.json'))
      .map((n) => `compiled/${n}`),
  ].sort();
  for (const rel of files) instance.addSchema({ ...read(rel), $id: HSDS_BASE_URI + rel });

  const openapi = read('openapi.json') as {
    components: { schemas: { Page: object } };
    paths: { '/': { get: { responses: { '200': { content: { 'application/json': { schema: object } } } } } } };
  };
  const page = openapi.components.schemas.Page;
  instance.addSchema({ ...page, $id: `${HSDS_BASE_URI}estia/page.json` });
  for (const [kind, item] of Object.entries(PAGED)) {
    instance.addSchema({
      $id: `${HSDS_BASE_URI}estia/${kind}.json`,
      allOf: [{ $ref: 'page.json' }],
      properties: { contents: { type: 'array', items: { $ref: `../${item}` } } },
      required: ['contents'],
    });
  }
  const root = openapi.paths['/'].get.responses['200'].content['application/json'].schema;
  instance.addSchema({ ...root, $id: `${HSDS_BASE_URI}estia/api_info.json` });
  ajv = instance;
  return ajv;
}

/** The compiled validator for one kind (compiled once per process: the compiled HSDS schemas are large). */
export function hsdsValidator(kind: HsdsKind): ValidateFunction {
  let v = validators.get(kind);
  if (!v) {
    const id = HSDS_BASE_URI + KINDS[kind];
    v = hsdsAjv().getSchema(id);
    if (!v) throw new Error(`unknown HSDS kind ${kind}`);
    validators.set(kind, v);
  }
  return v;
}

/** Validates an HSDS 3.0 body; returns the failing fields (empty when valid). */
export function validateHsds(kind: HsdsKind, value: unknown): FieldError[] {
  const validate = hsdsValidator(kind);
  return validate(value) ? [] : toFieldErrors(validate.errors);
}

/** The HSDS JSON Schema of a kind, e.g. to document a route; refs point at HSDS_BASE_URI. */
export function hsdsSchemaId(kind: HsdsKind): string {
  return HSDS_BASE_URI + KINDS[kind];
}
