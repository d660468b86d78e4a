import { queryOptions } from '@tanstack/react-query';
import type { components, paths } from '@estia/contracts/generated/openapi.insights.js';
import { insights, unwrap } from '../../api/clients.js';

type Schemas = components['schemas'];
export type Figure = Schemas['Figure'];
export type Measure = Schemas['Measure'];
export type ProvidersReport = Schemas['ProvidersReport'];
export type ProviderRow = Schemas['ProviderRow'];
export type ProviderFigures = Schemas['ProviderFigures'];
export type DemandReport = Schemas['DemandReport'];
export type DemandRow = Schemas['DemandRow'];
export type FunnelReport = Schemas['FunnelReport'];
export type FunnelFigures = Schemas['FunnelFigures'];

/** The filters every report takes, exactly the contract's query parameters (groupBy aside). */
export type InsightsFilters = NonNullable<paths['/v1/insights/demand']['get']['parameters']['query']>;
export type Report = 'providers' | 'demand' | 'funnel';

// Each report answers JSON or, asked for, CSV: the contract types its 200 as either; these ask for JSON.
// The funnel is of employment only (the service refuses any other category): it ignores the category.
const queryOf = (report: Report, filters: InsightsFilters): InsightsFilters =>
  report === 'funnel' && filters.category !== 'employment' ? { ...filters, category: undefined } : filters;

const clean = (filters: InsightsFilters): InsightsFilters =>
  Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined && v !== '')) as InsightsFilters;

export const providersQuery = (filters: InsightsFilters) =>
  queryOptions({
    queryKey: ['insights', 'providers', clean(filters)],
    queryFn: async () =>
      (await unwrap(insights.GET('/v1/insights/providers', { params: { query: clean(filters) } })))
        .data as ProvidersReport,
  });

export const demandQuery = (filters: InsightsFilters) =>
  queryOptions({
    queryKey: ['insights', 'demand', clean(filters)],
    queryFn: async () =>
      (await unwrap(insights.GET('/v1/insights/demand', { params: { query: clean(filters) } }))).data as DemandReport,
  });

export const funnelQuery = (filters: InsightsFilters) =>
  queryOptions({
    queryKey: ['insights', 'funnel', clean(queryOf('funnel', filters))],
    queryFn: async () =>
      (await unwrap(insights.GET('/v1/insights/funnel', { params: { query: clean(queryOf('funnel', filters)) } })))
        .data as FunnelReport,
  });

/**
 * The members (name and id) the organisation filter offers: the rows of the whole network's providers
 * report, read from the same cache entry as the unfiltered report, so the first page asks for it once.
 */
export const organisationsQuery = queryOptions({
  ...providersQuery({}),
  staleTime: 5 * 60_000,
  select: (report: ProvidersReport) =>
    report.rows
      .filter((row): row is ProviderRow & { organisationId: string } => row.organisationId !== null)
      .map((row) => ({ id: row.organisationId, name: row.name ?? row.organisationId })),
});

/**
 * One report as the service writes it in CSV (suppressed cells stay "<5"), saved as a file: fetched with
 * the session like every call, then handed to the browser as a blob, so no URL carries the figures.
 */
export const downloadCsv = async (report: Report, filters: InsightsFilters): Promise<string> => {
  const query = clean(queryOf(report, filters));
  const options = { params: { query }, headers: { accept: 'text/csv' }, parseAs: 'blob' as const };
  const { data, response } = await unwrap(
    report === 'providers'
      ? insights.GET('/v1/insights/providers', options)
      : report === 'demand'
        ? insights.GET('/v1/insights/demand', options)
        : insights.GET('/v1/insights/funnel', options),
  );
  const named = /filename="([^"]+)"/.exec(response.headers.get('content-disposition') ?? '');
  const fileName = named?.[1] ?? `insights-${report}.csv`;
  const url = URL.createObjectURL(data as unknown as Blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = fileName;
  document.body.append(link);
  link.click();
  link.remove();
  // The browser has read the blob once the click is handled; the next task may free it.
  setTimeout(() => URL.revokeObjectURL(url), 0);
  return fileName;
};
