import { describe, it, expect } from 'vitest';
import { validateHsds } from '@estia/contracts';
import { seededOrganisation, seededService } from './fixtures.js';
import { toHsdsPage } from './page.js';
import { hsdsTaxonomyTerms, toHsdsTaxonomy } from './taxonomy.js';
import {
  toHsdsOrganization,
  toHsdsOrganizationSummary,
  toHsdsService,
  toHsdsServiceAtLocation,
  toHsdsServiceAtLocationListItem,
  toHsdsServiceSummary,
} from './toHsds.js';

const baseUrl = 'https://registry.estia.test/hsds';
const location = seededService.locations[0]!;

describe('HSDS 3.0 mapping validates against the published schemas', () => {
  it('service', () => {
    const service = toHsdsService(seededService, baseUrl);
    expect(validateHsds('service', service)).toEqual([]);
    expect(service).toMatchObject({
      status: 'active',
      minimum_age: 0,
      organization: { name: seededOrganisation.name },
    });
    expect(service.languages.map((l) => [l.code, l.name])).toContainEqual(['el', 'Greek']);
    expect(service.service_at_locations[0]!.schedules.map((s) => s.byday)).toEqual(['MO', 'SA']);
    expect(service.attributes[0]!.taxonomy_term).toMatchObject({
      code: 'emergency_shelter',
      name: 'Emergency shelter',
    });
  });
  it('a closed or withdrawn service', () => {
    expect(toHsdsService({ ...seededService, intake: 'closed' }, baseUrl).status).toBe('temporarily closed');
    const withdrawn = toHsdsService({ ...seededService, status: 'withdrawn' }, baseUrl);
    expect(withdrawn.status).toBe('defunct');
    expect(validateHsds('service', withdrawn)).toEqual([]);
  });
  it('organization, with its services', () => {
    expect(validateHsds('organization', toHsdsOrganization(seededOrganisation, [seededService]))).toEqual([]);
  });
  it('service_at_location', () => {
    expect(validateHsds('service_at_location', toHsdsServiceAtLocation(seededService, location))).toEqual([]);
  });
  it('taxonomy and every taxonomy term', () => {
    expect(validateHsds('taxonomy', toHsdsTaxonomy(baseUrl))).toEqual([]);
    for (const term of hsdsTaxonomyTerms(baseUrl)) expect(validateHsds('taxonomy_term', term)).toEqual([]);
  });
  it('paged lists', () => {
    const page = (contents: unknown[]) =>
      toHsdsPage(contents, { pageNumber: 1, perPage: 20, totalItems: contents.length });
    expect(validateHsds('services_page', page([toHsdsServiceSummary(seededService)]))).toEqual([]);
    expect(validateHsds('organizations_page', page([toHsdsOrganizationSummary(seededOrganisation)]))).toEqual([]);
    expect(
      validateHsds('service_at_locations_page', page([toHsdsServiceAtLocationListItem(seededService, location)])),
    ).toEqual([]);
    expect(validateHsds('taxonomy_terms_page', page(hsdsTaxonomyTerms(baseUrl)))).toEqual([]);
    expect(validateHsds('taxonomies_page', page([toHsdsTaxonomy(baseUrl)]))).toEqual([]);
  });
  it('the validator does catch a broken mapping (the test can fail)', () => {
    expect(validateHsds('service', { ...toHsdsService(seededService, baseUrl), status: 'open' })).not.toEqual([]);
  });
  it('page arithmetic', () => {
    expect(toHsdsPage([1, 2], { pageNumber: 2, perPage: 2, totalItems: 5 })).toMatchObject({
      total_pages: 3,
      first_page: false,
      last_page: false,
      size: 2,
      empty: false,
    });
    expect(toHsdsPage([], { pageNumber: 1, perPage: 20, totalItems: 0 })).toMatchObject({
      total_pages: 1,
      last_page: true,
      empty: true,
    });
  });
});
