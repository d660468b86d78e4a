import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { contractsRoot } from '../schemas/schemaFiles.js';
import { validateHsds, type HsdsKind } from './validateHsds.js';

// The published HSDS examples (vendored next to the schemas), and the body kind each one is.
const examplesDir = join(contractsRoot, 'hsds-3.0', 'examples');
const examples: [string, HsdsKind][] = [
  ['organization_full.json', 'organization'],
  ['service_full.json', 'service'],
  ['service_list.json', 'services_page'],
  ['taxonomy_term.json', 'taxonomy_term'],
];
const read = (name: string): Record<string, unknown> => JSON.parse(readFileSync(join(examplesDir, name), 'utf8'));

describe('validateHsds', () => {
  // Compiling the nested HSDS schemas takes seconds on a busy machine; it happens once per process.
  it.each(examples)('the HSDS example %s is a valid %s', (file, kind) => {
    expect(validateHsds(kind, read(file))).toEqual([]);
  });

  it('refuses a service without a name and with a bad id, naming the fields', () => {
    const { name: _drop, ...service } = read('service_full.json');
    const errors = validateHsds('service', { ...service, id: 'not-a-uuid' });
    expect(errors).toContainEqual({ pointer: '/name', detail: 'is required' });
    expect(errors).toContainEqual({ pointer: '/id', detail: 'must match format "uuid"' });
  });

  it('refuses a page whose contents are not service list items', () => {
    const page = read('service_list.json');
    expect(validateHsds('services_page', { ...page, contents: [{ id: 'x' }] }).map((e) => e.pointer)).toContain(
      '/contents/0/id',
    );
    expect(validateHsds('page', { ...page, total_items: 'ten' })).toEqual([
      { pointer: '/total_items', detail: 'must be integer' },
    ]);
  });
});
