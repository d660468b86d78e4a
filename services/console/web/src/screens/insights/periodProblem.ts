import { ApiError } from '../../api/problems.js';
import type { InsightsFilters } from './insightsApi.js';

/**
 * A period that ends before it starts, said at the To field in the reader's words before any call
 * (the service would refuse it too, in English: its rule has no name the console could translate).
 */
export const periodProblem = (filters: InsightsFilters, detail: string): ApiError | null =>
  filters.from && filters.to && filters.to < filters.from
    ? new ApiError({ type: 'about:blank', title: 'Bad Request', status: 400, errors: [{ pointer: '/to', detail }] })
    : null;
