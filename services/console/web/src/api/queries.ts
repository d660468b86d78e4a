import { queryOptions, useQuery } from '@tanstack/react-query';
import type { components as Referrals } from '@estia/contracts/generated/openapi.referrals.js';
import { referrals, registry, unwrap } from './clients.js';
import { fetchSession } from './session.js';

export type Referral = Referrals['schemas']['Referral'];
export type ReferralStatus = Referrals['schemas']['ReferralStatus'];
export type ClientCase = Referrals['schemas']['Client'];
export type PersonalData = Referrals['schemas']['PersonalData'];
export type LegalStatus = Referrals['schemas']['LegalStatus'];
export type Suggestion = Referrals['schemas']['Suggestions']['items'][number];

// The contract types a case's needs and consents as plain objects; these views name the members the
// referrals service answers today, built from the contract's own request types so that a renamed field
// shows up here. (The contract should type them: see services/console/README.md.)
export type NeedView = Referrals['schemas']['AssessNeedRequest'] & {
  needId: string;
  status: 'open' | 'closed';
  openedAt: string;
  history?: { assessmentId: string; priority: Referrals['schemas']['AssessNeedRequest']['priority']; at: string }[];
};
export type ConsentView = Referrals['schemas']['GiveConsentRequest'] & {
  consentId: string;
  givenAt: string;
  withdrawnAt?: string | null;
  expiresAt?: string | null;
};

export const sessionQuery = queryOptions({ queryKey: ['session'], queryFn: fetchSession, staleTime: 30_000 });
export const useSession = () => useQuery(sessionQuery).data ?? null;

export const clientQuery = (clientId: string) =>
  queryOptions({
    queryKey: ['client', clientId],
    queryFn: async () =>
      (await unwrap(referrals.GET('/v1/clients/{clientId}', { params: { path: { clientId } } }))).data,
  });

export const needsOf = (client: ClientCase): NeedView[] => client.needs as NeedView[];
export const consentsOf = (client: ClientCase): ConsentView[] => client.consents as ConsentView[];
export const personalOf = (client: ClientCase): Partial<PersonalData> => client.personal as Partial<PersonalData>;

export const referralQuery = (referralId: string) =>
  queryOptions({
    queryKey: ['referral', referralId],
    queryFn: async () => {
      const { data, response } = await unwrap(
        referrals.GET('/v1/referrals/{referralId}', { params: { path: { referralId } } }),
      );
      return { referral: data, etag: response.headers.get('etag') };
    },
  });

export const countsQuery = queryOptions({
  queryKey: ['referral-counts'],
  queryFn: async () => (await unwrap(referrals.GET('/v1/referrals/counts'))).data,
});

interface HsdsNamed {
  id: string;
  name: string;
}

/** Organisation names from the public directory, cached for the page's life: they rarely change. */
export const useOrganisation = (organisationId: string | null | undefined) =>
  useQuery({
    queryKey: ['organisation', organisationId],
    enabled: Boolean(organisationId),
    staleTime: Infinity,
    queryFn: async () =>
      (await unwrap(registry.GET('/hsds/organizations/{id}', { params: { path: { id: organisationId! } } })))
        .data as unknown as HsdsNamed,
  });

export const useService = (serviceId: string | null | undefined) =>
  useQuery({
    queryKey: ['service', serviceId],
    enabled: Boolean(serviceId),
    staleTime: 5 * 60_000,
    queryFn: async () =>
      (await unwrap(registry.GET('/hsds/services/{id}', { params: { path: { id: serviceId! } } })))
        .data as unknown as HsdsService,
  });

/** The members of an HSDS 3.0 service the console shows (the registry's contract types HSDS bodies loosely). */
export interface HsdsService {
  id: string;
  organization_id: string;
  name: string;
  description?: string;
  status: 'active' | 'inactive' | 'defunct' | 'temporarily closed';
  wait_time?: string;
  eligibility_description?: string;
  organization?: HsdsNamed;
  languages?: { code: string; name: string }[];
  service_areas?: { extent?: string; name?: string }[];
  attributes?: { taxonomy_term?: { code?: string; name?: string; parent_id?: string | null } }[];
}

export interface HsdsPage<T> {
  total_items: number;
  total_pages: number;
  page_number: number;
  contents: T[];
}
