import { queryOptions, useQuery } from '@tanstack/react-query';
import type { components as Matching } from '@estia/contracts/generated/openapi.matching.js';
import { matching, referrals, unwrap } from '../../api/clients.js';
import { isApiError } from '../../api/problems.js';

type Schemas = Matching['schemas'];
export type Opportunity = Schemas['Opportunity'];
export type OpportunityDetails = Schemas['OpportunityDetails'];
export type OpportunityStatus = Opportunity['status'];
export type Match = Schemas['Match'];
export type MatchList = Schemas['MatchList'];
export type MatchReason = Schemas['MatchReason'];
export type Placement = Schemas['Placement'];
export type PlacementStage = Placement['stage'];
export type FollowUp = Schemas['FollowUp'];
export type CandidateSummary = Schemas['CandidateSummary'];
export type WhyNot = Schemas['WhyNot'];

export const OPPORTUNITY_STATUSES = [
  'open',
  'paused',
  'filled',
  'closed',
] as const satisfies readonly OpportunityStatus[];
/** The pipeline's columns in the order a placement moves through them; ended ones are listed apart. */
export const PIPELINE_STAGES = [
  'proposed',
  'applied',
  'interview',
  'hired',
] as const satisfies readonly PlacementStage[];

/** The network's opportunities, or one organisation's, by status. */
export const opportunitiesQuery = (organisationId: string | undefined, status: OpportunityStatus | undefined) =>
  queryOptions({
    queryKey: ['coach', 'opportunities', organisationId ?? 'network', status ?? 'all'],
    queryFn: async () =>
      (
        await unwrap(
          matching.GET('/v1/opportunities', {
            params: {
              query: { limit: 100, ...(organisationId ? { organisationId } : {}), ...(status ? { status } : {}) },
            },
          }),
        )
      ).data,
  });

export const opportunityQuery = (id: string) =>
  queryOptions({
    queryKey: ['coach', 'opportunity', id],
    queryFn: async () => {
      const { data, response } = await unwrap(matching.GET('/v1/opportunities/{id}', { params: { path: { id } } }));
      return { opportunity: data, etag: response.headers.get('etag') };
    },
  });

export const opportunityMatchesQuery = (id: string) =>
  queryOptions({
    queryKey: ['coach', 'opportunity-matches', id],
    queryFn: async () =>
      (await unwrap(matching.GET('/v1/opportunities/{id}/matches', { params: { path: { id }, query: { limit: 20 } } })))
        .data,
  });

export const candidatesQuery = queryOptions({
  queryKey: ['coach', 'candidates'],
  queryFn: async () => (await unwrap(matching.GET('/v1/candidates', { params: { query: { limit: 200 } } }))).data,
});

export const candidateMatchesQuery = (clientId: string) =>
  queryOptions({
    queryKey: ['coach', 'candidate-matches', clientId],
    queryFn: async () =>
      (
        await unwrap(
          matching.GET('/v1/candidates/{clientId}/matches', { params: { path: { clientId }, query: { limit: 20 } } }),
        )
      ).data,
  });

export const whyNotQuery = (clientId: string, opportunityId: string) =>
  queryOptions({
    queryKey: ['coach', 'why-not', clientId, opportunityId],
    queryFn: async () =>
      (
        await unwrap(
          matching.GET('/v1/candidates/{clientId}/why-not/{opportunityId}', {
            params: { path: { clientId, opportunityId } },
          }),
        )
      ).data,
  });

export const placementsQuery = (filter: { stage?: PlacementStage | 'ended'; followUpDue?: boolean }) =>
  queryOptions({
    queryKey: ['coach', 'placements', filter.stage ?? 'all', filter.followUpDue ?? false],
    queryFn: async () =>
      (
        await unwrap(
          matching.GET('/v1/placements', {
            params: {
              query: {
                limit: 200,
                ...(filter.stage ? { stage: filter.stage } : {}),
                ...(filter.followUpDue ? { followUpDue: true } : {}),
              },
            },
          }),
        )
      ).data,
  });

/**
 * A candidate's name, for the coach of the organisation holding the case (the client's job-matching
 * consent opens the case's personal data to them). Null when the case is not open to this person:
 * matches of other organisations' clients stay pseudonymous.
 */
export const useCandidateName = (clientId: string | null | undefined, enabled = true) =>
  useQuery({
    queryKey: ['coach', 'candidate-name', clientId],
    enabled: Boolean(clientId) && enabled,
    staleTime: 5 * 60_000,
    retry: false,
    queryFn: async (): Promise<string | null> => {
      try {
        const { data } = await unwrap(
          referrals.GET('/v1/clients/{clientId}', { params: { path: { clientId: clientId! } } }),
        );
        const personal = data.personal as { givenNames?: string; familyName?: string };
        return `${personal.givenNames ?? ''} ${personal.familyName ?? ''}`.trim() || null;
      } catch (error) {
        if (isApiError(error) && (error.status === 404 || error.status === 403)) return null;
        throw error;
      }
    },
  });

/** The opportunities one organisation publishes, by id, for titles in lists (placements, matches). */
export const useOpportunityTitles = (organisationId: string | undefined) => {
  const all = useQuery({
    queryKey: ['coach', 'opportunity-titles'],
    staleTime: 60_000,
    queryFn: async () => (await unwrap(matching.GET('/v1/opportunities', { params: { query: { limit: 100 } } }))).data,
  });
  const mine = useQuery({ ...opportunitiesQuery(organisationId ?? '', undefined), enabled: Boolean(organisationId) });
  const titles = new Map<string, string>();
  for (const o of [...(all.data?.items ?? []), ...(mine.data?.items ?? [])]) titles.set(o.id, o.details.title);
  return titles;
};

/** A YYYY-MM-DD date a number of days from today (UTC), for form defaults. */
export const isoDateIn = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
