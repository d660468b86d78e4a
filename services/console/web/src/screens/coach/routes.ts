import { createRoute, lazyRouteComponent } from '@tanstack/react-router';
// A cycle by design: the router imports these routes, they hang under its signed-in route. Only
// getParentRoute reads it, when the router is built, after both modules have run.
import { signedInRoute } from '../../router.js';
import type { OpportunityStatus, PlacementStage } from './coachApi.js';

export interface CoachOpportunitiesSearch {
  status?: OpportunityStatus | undefined;
  /** Only the signed-in person's organisation's (employers); else the whole network's. */
  mine?: boolean | undefined;
}
export interface PipelineSearch {
  stage?: PlacementStage | undefined;
  followUpDue?: boolean | undefined;
}
export interface WhyNotSearch {
  clientId?: string | undefined;
  opportunityId?: string | undefined;
}

const STATUSES: readonly string[] = ['open', 'paused', 'filled', 'closed'];
const STAGES: readonly string[] = ['proposed', 'applied', 'interview', 'hired', 'ended'];
const text = (value: unknown): string | undefined => (typeof value === 'string' && value ? value : undefined);

const opportunitiesRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/coach/opportunities',
  validateSearch: (search: Record<string, unknown>): CoachOpportunitiesSearch => ({
    ...(STATUSES.includes(search.status as string) ? { status: search.status as OpportunityStatus } : {}),
    ...(search.mine === true || search.mine === 'true' ? { mine: true } : {}),
  }),
  component: lazyRouteComponent(() => import('./Opportunities'), 'Opportunities'),
});

const newOpportunityRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/coach/opportunities/new',
  component: lazyRouteComponent(() => import('./OpportunityForm'), 'NewOpportunity'),
});

const opportunityRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/coach/opportunities/$opportunityId',
  component: lazyRouteComponent(() => import('./OpportunityPage'), 'OpportunityPage'),
});

const editOpportunityRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/coach/opportunities/$opportunityId/edit',
  component: lazyRouteComponent(() => import('./OpportunityForm'), 'EditOpportunity'),
});

const candidatesRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/coach/candidates',
  component: lazyRouteComponent(() => import('./Candidates'), 'Candidates'),
});

const candidateRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/coach/candidates/$clientId',
  component: lazyRouteComponent(() => import('./CandidatePage'), 'CandidatePage'),
});

const whyNotRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/coach/why-not',
  validateSearch: (search: Record<string, unknown>): WhyNotSearch => ({
    ...(text(search.clientId) ? { clientId: text(search.clientId) } : {}),
    ...(text(search.opportunityId) ? { opportunityId: text(search.opportunityId) } : {}),
  }),
  component: lazyRouteComponent(() => import('./WhyNot'), 'WhyNot'),
});

const pipelineRoute = createRoute({
  getParentRoute: () => signedInRoute,
  path: '/coach/pipeline',
  validateSearch: (search: Record<string, unknown>): PipelineSearch => ({
    ...(STAGES.includes(search.stage as string) ? { stage: search.stage as PlacementStage } : {}),
    ...(search.followUpDue === true || search.followUpDue === 'true' ? { followUpDue: true } : {}),
  }),
  component: lazyRouteComponent(() => import('./Pipeline'), 'Pipeline'),
});

/** The job coach's area, hung under the signed-in route by router.tsx. */
export const coachRoutes = [
  opportunitiesRoute,
  newOpportunityRoute,
  opportunityRoute,
  editOpportunityRoute,
  candidatesRoute,
  candidateRoute,
  whyNotRoute,
  pipelineRoute,
] as const;

export const COACH_HOME = '/coach/opportunities' as const;
