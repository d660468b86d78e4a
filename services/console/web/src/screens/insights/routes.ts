import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
// A cycle by design, as for the coach's routes: only getParentRoute reads the router, once it is built.
import { signedInRoute } from '../../router.js';
import { REGIONS, SERVICE_CATEGORIES } from '../../vocabulary.js';
import type { InsightsFilters } from './insightsApi.js';

export const INSIGHTS_HOME = '/insights';

const DATE = /^\d{4}-\d{2}-\d{2}$/;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const pick = <T extends string>(value: unknown, test: (v: string) => boolean): T | undefined =>
  typeof value === 'string' && test(value) ? (value as T) : undefined;

/** The page's filters live in its address: a period's report can be bookmarked, shared and printed again. */
export const validateInsightsSearch = (search: Record<string, unknown>): InsightsFilters => {
  const filters: InsightsFilters = {
    from: pick(search.from, (v) => DATE.test(v)),
    to: pick(search.to, (v) => DATE.test(v)),
    category: pick(search.category, (v) => (SERVICE_CATEGORIES as readonly string[]).includes(v)),
    area: pick(search.area, (v) => (REGIONS as readonly string[]).includes(v)),
    organisationId: pick(search.organisationId, (v) => UUID.test(v)),
  };
  return Object.fromEntries(Object.entries(filters).filter(([, v]) => v !== undefined)) as InsightsFilters;
};

export const insightsRoutes = [
  createRoute({
    getParentRoute: () => signedInRoute,
    path: INSIGHTS_HOME,
    validateSearch: validateInsightsSearch,
    component: lazyRouteComponent(() => import('./Insights'), 'Insights'),
  }),
] as const;
