import type { FastifyPluginAsync } from 'fastify';
import { AppError } from '@estia/infra/errors/appError.js';
import type { SqlExecutor } from '@estia/infra/sql/types.js';
import { LEGAL_STATUSES, type LegalStatus } from '../domain/service/serviceDetails.js';
import { TAXONOMY } from '../domain/service/taxonomy.js';
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
  MAX_PER_PAGE,
  searchServices,
  type ServiceSearch,
} from '../projections/directoryQueries.js';

export interface HsdsRoutesOptions {
  db: SqlExecutor;
  /** Public URL of this API (for uri fields), e.g. https://registry.example.org */
  publicBaseUrl: string;
}

/** Public, read-only, rate-limited: no token, only approved organisations and their active services. */
const PUBLIC = { public: true, rateLimit: { max: 300, timeWindow: '1 minute' } } as const;

const paging = {
  page: { type: 'integer', minimum: 1, default: 1 },
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
interface ServicesQuery extends PageQuery {
  taxonomy_term_id?: string;
  language?: string;
  legal_status?: LegalStatus;
  region?: string;
  organization_id?: string;
  lat?: number;
  lon?: number;
  radius_km?: number;
  intake_open?: boolean;
}

const notFound = (what: string, id: string): AppError => new AppError('NOT_FOUND', `${what} ${id} not found`);

export const hsdsRoutes: FastifyPluginAsync<HsdsRoutesOptions> = async (app, { db, publicBaseUrl }) => {
  const base = publicBaseUrl.replace(/\/$/, '');

  app.get('/', { config: PUBLIC }, async () => ({
    version: '3.0',
    profile: 'https://docs.openreferral.org/en/latest/hsds/',
    openapi_url: `${base}/openapi.json`,
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
            taxonomy_term_id: { type: 'string', maxLength: 100 },
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
        },
      },
    },
    async (request) => {
      const q = request.query;
      const search: ServiceSearch = {};
      if (q.taxonomy_term_id !== undefined) {
        const term = findTaxonomyTerm(q.taxonomy_term_id);
        if (!term)
          throw new AppError('VALIDATION_FAILED', `unknown taxonomy term ${q.taxonomy_term_id}`, {
            errors: [
              {
                pointer: '/query/taxonomy_term_id',
                detail: 'is not a term of the ESTIA taxonomy (see /taxonomy_terms)',
              },
            ],
          });
        search.category = term.id;
      }
      if (q.language) search.language = q.language;
      if (q.legal_status) search.legalStatus = q.legal_status;
      if (q.region) search.region = q.region;
      if (q.organization_id) search.organisationId = q.organization_id;
      if (q.intake_open) search.intakeOpen = true;
      if (q.lat !== undefined && q.lon !== undefined && q.radius_km !== undefined)
        search.near = { latitude: q.lat, longitude: q.lon, radiusKm: q.radius_km };
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

  const pageOnly = { querystring: { type: 'object', additionalProperties: false, properties: paging } } as const;

  app.get<{ Querystring: PageQuery }>('/organizations', { config: PUBLIC, schema: pageOnly }, async (request) => {
    const { page, per_page } = request.query;
    const { items, total } = await listOrganisations(db, { page, perPage: per_page });
    return toHsdsPage(items.map(toHsdsOrganizationSummary), { pageNumber: page, perPage: per_page, totalItems: total });
  });

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

  app.get<{ Querystring: PageQuery }>('/taxonomies', { config: PUBLIC, schema: pageOnly }, async (request) => {
    const { page, per_page } = request.query;
    const all = page === 1 ? [toHsdsTaxonomy(base)] : [];
    return toHsdsPage(all, { pageNumber: page, perPage: per_page, totalItems: 1 });
  });

  app.get<{ Params: { id: string } }>(
    '/taxonomies/:id',
    { config: PUBLIC, schema: { params: idParams } },
    async (request) => {
      if (request.params.id !== TAXONOMY_UUID) throw notFound('taxonomy', request.params.id);
      return toHsdsTaxonomy(base);
    },
  );

  app.get<{ Querystring: PageQuery }>('/taxonomy_terms', { config: PUBLIC, schema: pageOnly }, async (request) => {
    const { page, per_page } = request.query;
    const start = (page - 1) * per_page;
    return toHsdsPage(hsdsTaxonomyTerms(base).slice(start, start + per_page), {
      pageNumber: page,
      perPage: per_page,
      totalItems: TAXONOMY.length,
    });
  });

  app.get<{ Params: { id: string } }>(
    '/taxonomy_terms/:id',
    { config: PUBLIC, schema: { params: idParams } },
    async (request) => {
      const term = findTaxonomyTerm(request.params.id);
      if (!term) throw notFound('taxonomy term', request.params.id);
      return toHsdsTaxonomyTerm(term, base);
    },
  );

  app.get<{ Querystring: PageQuery }>(
    '/service_at_locations',
    { config: PUBLIC, schema: pageOnly },
    async (request) => {
      const { page, per_page } = request.query;
      const { items, total } = await listServiceAtLocations(db, { page, perPage: per_page });
      return toHsdsPage(
        items.map(({ service, locationId }) =>
          toHsdsServiceAtLocationListItem(
            service,
            service.locations.find((l) => l.id === locationId)!,
          ),
        ),
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
