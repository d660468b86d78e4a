import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { requestSchemas } from '@estia/contracts';
import { requireAuth } from '@estia/infra/auth/requireAuth.js';
import { AppError } from '@estia/infra/errors/appError.js';
import { demandFigures, publishDemand } from '../figures/demand.js';
import { factIndexOf } from '../figures/factIndex.js';
import type { InsightsFilters } from '../figures/filters.js';
import { funnelFigures, publishFunnel } from '../figures/funnel.js';
import { providerFigures, publishProviders, type ProviderGrouping } from '../figures/providers.js';
import { THRESHOLD } from '../privacy/suppression.js';
import type { FactCache } from '../readModels/factStore.js';
import { toCsv } from './csv.js';

const contract = requestSchemas('insights');
const DAY = 86_400_000;

/** Network figures only: funders and the network's administrators, with the insights:read scope. */
const readers = requireAuth({ roles: ['funder', 'network_admin'], scopes: ['insights:read'] });

interface Query {
  from?: string;
  to?: string;
  category?: string;
  area?: string;
  organisationId?: string;
  groupBy?: ProviderGrouping;
}

/** The query as filters; a period that ends before it starts is refused naming `to`. */
export function filtersOf(
  query: Query,
  now: number,
): { filters: InsightsFilters; period: { from: string | null; to: string } } {
  const to = query.to ?? new Date(now).toISOString().slice(0, 10);
  const fromMs = query.from === undefined ? 0 : Date.parse(`${query.from}T00:00:00Z`);
  const toMs = Date.parse(`${to}T00:00:00Z`) + DAY;
  if (toMs <= fromMs)
    throw new AppError('VALIDATION_FAILED', 'the period ends before it starts', {
      errors: [{ pointer: '/querystring/to', detail: `must not be before from (${query.from})` }],
    });
  return {
    filters: {
      from: fromMs,
      to: toMs,
      ...(query.category === undefined ? {} : { category: query.category }),
      ...(query.area === undefined ? {} : { area: query.area }),
      ...(query.organisationId === undefined ? {} : { organisationId: query.organisationId }),
    },
    period: { from: query.from ?? null, to },
  };
}

const wantsCsv = (request: FastifyRequest): boolean => {
  const accept = request.headers.accept ?? '';
  return /\btext\/csv\b/i.test(accept) && !/\bapplication\/json\b/i.test(accept.split(',')[0] ?? '');
};

/** JSON, or the rows as CSV with `Accept: text/csv` (a file named after the report and its period). */
const answer = <B extends { period: { to: string } }>(
  request: FastifyRequest,
  reply: FastifyReply,
  name: string,
  body: B,
  rows: readonly object[],
) => {
  reply.header('cache-control', 'no-store').header('vary', 'accept');
  if (!wantsCsv(request)) return body;
  return reply
    .type('text/csv; charset=utf-8')
    .header('content-disposition', `attachment; filename="insights-${name}-${body.period.to}.csv"`)
    .send(toCsv(rows as Record<string, unknown>[]));
};

export interface InsightsRoutesOptions {
  cache: FactCache;
  now?: () => number;
}

export const insightsRoutes: FastifyPluginAsync<InsightsRoutesOptions> = async (app, { cache, now = Date.now }) => {
  const route = (path: string) => ({
    preHandler: readers,
    schema: { querystring: contract.parameters(`/v1/insights${path}`, 'get', 'query') },
  });

  app.get<{ Querystring: Query }>('/providers', route('/providers'), async (request, reply) => {
    const { filters, period } = filtersOf(request.query, now());
    const groupBy = request.query.groupBy ?? 'organisation';
    await cache.sync();
    const published = publishProviders(
      providerFigures(factIndexOf(cache), filters, groupBy),
      filters.organisationId === undefined,
    );
    return answer(request, reply, 'providers', { period, groupBy, threshold: THRESHOLD, ...published }, published.rows);
  });

  app.get<{ Querystring: Query }>('/demand', route('/demand'), async (request, reply) => {
    const { filters, period } = filtersOf(request.query, now());
    await cache.sync();
    const published = publishDemand(demandFigures(factIndexOf(cache), filters));
    return answer(request, reply, 'demand', { period, threshold: THRESHOLD, ...published }, [
      ...published.rows,
      ...published.totals,
    ]);
  });

  app.get<{ Querystring: Query }>('/funnel', route('/funnel'), async (request, reply) => {
    const { filters, period } = filtersOf(request.query, now());
    if (filters.category !== undefined && filters.category !== 'employment')
      throw new AppError('VALIDATION_FAILED', 'the funnel is of employment', {
        errors: [{ pointer: '/querystring/category', detail: 'must be employment (or left out) for the funnel' }],
      });
    await cache.sync();
    const published = publishFunnel(funnelFigures(factIndexOf(cache), filters));
    return answer(request, reply, 'funnel', { period, threshold: THRESHOLD, ...published }, published.rows);
  });
};
