import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '@estia/infra/errors/appError.js';
import type { SqlExecutor } from '@estia/infra/sql/types.js';
import { LEGAL_STATUSES, type LegalStatus } from '../domain/service/serviceDetails.js';
import { toHsdsPage } from '../hsds/page.js';
import {
  findTaxonomyTerm,
  hsdsTaxonomyTerms,
  TAXONOMY_UUID,
  toHsdsTaxonomy,
  toHsdsTaxonomyTerm,
} from '../hsds/taxonomy.js';
import {
  toHsdsOrganization,
  toHsdsOrganizationSummary,
  toHsdsService,
  toHsdsServiceAtLocation,
  toHsdsServiceAtLocationListItem,
  toHsdsServiceSummary,
} from '../hsds/toHsds.js';
import {
  getOrganisation,
  getPublishedService,
  getServiceAtLocation,
  listOrganisations,
  listServiceAtLocations,
  MAX_PAGE,
  MAX_PER_PAGE,
  searchServices,
  type ServiceSearch,
} from '../projections/directoryQueries.js';

export interface HsdsRoutesOptions {
  db: SqlExecutor;
  /** Public URL of the registry (for uri fields), e.g. https://registry.example.org; HSDS lives at its /hsds. */
  publicBaseUrl: string;
}

/** Public, read-only, rate-limited: no token, only approved organisations and their active services. */
const PUBLIC = { public: true, cacheable: true, rateLimit: { max: 300, timeWindow: '1 minute' } } as const;

const paging = {
  page: { type: 'integer', minimum: 1, maximum: MAX_PAGE, default: 1 },
  per_page: { type: 'integer', minimum: 1, maximum: MAX_PER_PAGE, default: 20 },
} as const;
const idParams = {
  type: 'object',
  properties: { id: { type: 'string', minLength: 1, maxLength: 100 } },
  required: ['id'],
} as const;

interface PageQuery {
  page: number;
  per_page: number;
}
interface FilterQuery extends PageQuery {
  search?: string;
  modified_after?: string;
  taxonomy_term_id?: string;
  organization_id?: string;
  proximity?: string;
}
interface ServicesQuery extends FilterQuery {
  language?: string;
  legal_status?: LegalStatus;
  region?: string;
  organization_id?: string;
  lat?: number;
  lon?: number;
  radius_km?: number;
  intake_open?: boolean;
}

const filters = {
  search: { type: 'string', minLength: 1, maxLength: 200 },
  modified_after: { type: 'string', format: 'date-time' },
  taxonomy_term_id: { type: 'string', maxLength: 100 },
  organization_id: { type: 'string', maxLength: 100 },
  // HSDS: "lat,lon"; we also take a radius in km as a third number (default DEFAULT_RADIUS_KM).
  proximity: { type: 'string', pattern: '^-?\\d+(\\.\\d+)?,-?\\d+(\\.\\d+)?(,\\d+(\\.\\d+)?)?$' },
} as const;
const DEFAULT_RADIUS_KM = 25;

const invalid = (pointer: string, detail: string): AppError =>
  new AppError('VALIDATION_FAILED', `${pointer.slice('/querystring/'.length)} ${detail}`, {
    errors: [{ pointer, detail }],
  });

/** The filters HSDS defines, as a directory search (validated beyond what the schema can say). */
const toSearch = (q: FilterQuery & Partial<ServicesQuery>): ServiceSearch => {
  const search: ServiceSearch = {};
  if (q.taxonomy_term_id !== undefined) {
    const term = findTaxonomyTerm(q.taxonomy_term_id);
    if (!term)
      throw invalid('/querystring/taxonomy_term_id', 'is not a term of the ESTIA taxonomy (see /hsds/taxonomy_terms)');
    search.category = term.id;
  }
  if (q.search) search.text = q.search;
  if (q.modified_after) search.modifiedAfter = new Date(q.modified_after).toISOString();
  if (q.language) search.language = q.language;
  if (q.legal_status) search.legalStatus = q.legal_status;
  if (q.region) search.region = q.region;
  if (q.organization_id) search.organisationId = q.organization_id;
  if (q.intake_open) search.intakeOpen = true;
  if (q.lat !== undefined && q.lon !== undefined && q.radius_km !== undefined)
    search.near = { latitude: q.lat, longitude: q.lon, radiusKm: q.radius_km };
  if (q.proximity !== undefined) {
    const [latitude, longitude, radius] = q.proximity.split(',').map(Number) as [number, number, number?];
    if (latitude < -90 || latitude > 90) throw invalid('/querystring/proximity', 'latitude must be between -90 and 90');
    if (longitude < -180 || longitude > 180)
      throw invalid('/querystring/proximity', 'longitude must be between -180 and 180');
    const radiusKm = radius ?? DEFAULT_RADIUS_KM;
    if (radiusKm <= 0 || radiusKm > 500) throw invalid('/querystring/proximity', 'radius must be in (0, 500] km');
    search.near = { latitude, longitude, radiusKm };
  }
  return search;
};

const notFound = (what: string, id: string): AppError => new AppError('NOT_FOUND', `${what} ${id} not found`);

export const hsdsRoutes: FastifyPluginAsync<HsdsRoutesOptions> = async (app, { db, publicBaseUrl }) => {
  // Mounted at /hsds (registryRoutes): uris name that prefix; the OpenAPI document is the service's.
  const root = publicBaseUrl.replace(/\/$/, '');
  const base = `${root}/hsds`;

  app.get('/', { config: PUBLIC }, async () => ({
    version: '3.0',
    profile: 'https://docs.openreferral.org/en/latest/hsds/',
    openapi_url: `${root}/openapi.json`,
  }));

  app.get<{ Querystring: ServicesQuery }>(
    '/services',
    {
      config: PUBLIC,
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: {
            ...paging,
            ...filters,
            language: { type: 'string', pattern: '^[a-z]{2,3}$' },
            legal_status: { type: 'string', enum: [...LEGAL_STATUSES] },
            region: { type: 'string', maxLength: 100 },
            organization_id: { type: 'string', maxLength: 100 },
            lat: { type: 'number', minimum: -90, maximum: 90 },
            lon: { type: 'number', minimum: -180, maximum: 180 },
            radius_km: { type: 'number', exclusiveMinimum: 0, maximum: 500 },
            intake_open: { type: 'boolean' },
          },
          dependentRequired: { lat: ['lon', 'radius_km'], lon: ['lat', 'radius_km'], radius_km: ['lat', 'lon'] },
          not: { required: ['proximity', 'lat'] },
        },
      },
    },
    async (request) => {
      const q = request.query;
      const search = toSearch(q);
      const { items, total } = await searchServices(db, search, { page: q.page, perPage: q.per_page });
      return toHsdsPage(
        items.map((s) => ({
          ...toHsdsServiceSummary(s),
          ...(s.distance_km === undefined ? {} : { distance_km: s.distance_km }),
        })),
        { pageNumber: q.page, perPage: q.per_page, totalItems: total },
      );
    },
  );

  app.get<{ Params: { id: string } }>(
    '/services/:id',
    { config: PUBLIC, schema: { params: idParams } },
    async (request) => {
      const service = await getPublishedService(db, request.params.id);
      if (!service) throw notFound('service', request.params.id);
      return toHsdsService(service, base);
    },
  );

  const pageAndSearch = {
    querystring: { type: 'object', additionalProperties: false, properties: { ...paging, search: filters.search } },
  } as const;
  const matches = (text: string | undefined, ...fields: string[]) =>
    !text || fields.some((f) => f.toLowerCase().includes(text.toLowerCase()));

  const organizationQuery = {
    querystring: {
      type: 'object',
      additionalProperties: false,
      properties: {
        ...paging,
        search: filters.search,
        modified_after: filters.modified_after,
        taxonomy_term_id: filters.taxonomy_term_id,
      },
    },
  } as const;
  app.get<{ Querystring: FilterQuery }>(
    '/organizations',
    { config: PUBLIC, schema: organizationQuery },
    async (request) => {
      const { page, per_page } = request.query;
      const search = toSearch(request.query);
      const { items, total } = await listOrganisations(
        db,
        { page, perPage: per_page },
        {
          ...(search.text ? { text: search.text } : {}),
          ...(search.modifiedAfter ? { modifiedAfter: search.modifiedAfter } : {}),
          ...(search.category ? { category: search.category } : {}),
        },
      );
      return toHsdsPage(items.map(toHsdsOrganizationSummary), {
        pageNumber: page,
        perPage: per_page,
        totalItems: total,
      });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/organizations/:id',
    { config: PUBLIC, schema: { params: idParams } },
    async (request) => {
      const organisation = await getOrganisation(db, request.params.id);
      if (!organisation) throw notFound('organization', request.params.id);
      const { items } = await searchServices(
        db,
        { organisationId: organisation.id },
        { page: 1, perPage: MAX_PER_PAGE },
      );
      return toHsdsOrganization(organisation, items);
    },
  );

  app.get<{ Querystring: FilterQuery }>('/taxonomies', { config: PUBLIC, schema: pageAndSearch }, async (request) => {
    const { page, per_page, search } = request.query;
    const all = [toHsdsTaxonomy(base)].filter((t) => matches(search, t.name, t.description ?? ''));
    const start = (page - 1) * per_page;
    return toHsdsPage(all.slice(start, start + per_page), {
      pageNumber: page,
      perPage: per_page,
      totalItems: all.length,
    });
  });

  app.get<{ Params: { id: string } }>(
    '/taxonomies/:id',
    { config: PUBLIC, schema: { params: idParams } },
    async (request) => {
      if (request.params.id !== TAXONOMY_UUID) throw notFound('taxonomy', request.params.id);
      return toHsdsTaxonomy(base);
    },
  );

  app.get<{ Querystring: FilterQuery }>(
    '/taxonomy_terms',
    { config: PUBLIC, schema: pageAndSearch },
    async (request) => {
      const { page, per_page, search } = request.query;
      const start = (page - 1) * per_page;
      const terms = hsdsTaxonomyTerms(base).filter((t) => matches(search, t.name, t.description ?? '', t.code ?? ''));
      return toHsdsPage(terms.slice(start, start + per_page), {
        pageNumber: page,
        perPage: per_page,
        totalItems: terms.length,
      });
    },
  );

  app.get<{ Params: { id: string } }>(
    '/taxonomy_terms/:id',
    { config: PUBLIC, schema: { params: idParams } },
    async (request) => {
      const term = findTaxonomyTerm(request.params.id);
      if (!term) throw notFound('taxonomy term', request.params.id);
      return toHsdsTaxonomyTerm(term, base);
    },
  );

  app.get<{ Querystring: FilterQuery }>(
    '/service_at_locations',
    {
      config: PUBLIC,
      schema: { querystring: { type: 'object', additionalProperties: false, properties: { ...paging, ...filters } } },
    },
    async (request) => {
      const { page, per_page } = request.query;
      const { items, total } = await listServiceAtLocations(db, { page, perPage: per_page }, toSearch(request.query));
      return toHsdsPage(
        items.map(({ service, locationId, distance_km }) => ({
          ...toHsdsServiceAtLocationListItem(
            service,
            service.locations.find((l) => l.id === locationId)!,
          ),
          ...(distance_km === undefined ? {} : { distance_km }),
        })),
        { pageNumber: page, perPage: per_page, totalItems: total },
      );
    },
  );

  app.get<{ Params: { id: string } }>(
    '/service_at_locations/:id',
    { config: PUBLIC, schema: { params: idParams } },
    async (request) => {
      const found = await getServiceAtLocation(db, request.params.id);
      if (!found) throw notFound('service_at_location', request.params.id);
      return toHsdsServiceAtLocation(
        found.service,
        found.service.locations.find((l) => l.id === found.locationId)!,
      );
    },
  );
};
