import { queryOptions } from '@tanstack/react-query';
import type { components as Registry } from '@estia/contracts/generated/openapi.registry.js';
import { registry, unwrap } from '../../api/clients.js';

export type Schemas = Registry['schemas'];
export type OrganisationRecord = Schemas['OrganisationRecord'];
export type ManagedService = Schemas['ManagedService'];
export type Member = Schemas['Member'];
export type ApiClientRecord = Schemas['ApiClientRecord'];
export type CodeVersion = Schemas['CodeOfConductVersion'];
export type OrganisationSummary = Schemas['OrganisationSummary'];

const path = (id: string) => ({ params: { path: { id } } });

/** The organisation with the ETag of what was read: a profile edit sends it back, so a later edit is not overwritten. */
export const organisationQuery = (id: string) =>
  queryOptions({
    queryKey: ['admin', 'organisation', id],
    queryFn: async () => {
      const { data, response } = await unwrap(registry.GET('/v1/organisations/{id}', path(id)));
      return { organisation: data, etag: response.headers.get('etag') };
    },
  });

export const servicesQuery = (id: string) =>
  queryOptions({
    queryKey: ['admin', 'services', id],
    queryFn: async () => (await unwrap(registry.GET('/v1/organisations/{id}/services', path(id)))).data.items,
  });

export const peopleQuery = (id: string) =>
  queryOptions({
    queryKey: ['admin', 'people', id],
    queryFn: async () => (await unwrap(registry.GET('/v1/organisations/{id}/people', path(id)))).data.items,
  });

export const apiClientsQuery = (id: string) =>
  queryOptions({
    queryKey: ['admin', 'api-clients', id],
    queryFn: async () => (await unwrap(registry.GET('/v1/organisations/{id}/api-clients', path(id)))).data.items,
  });

export const codeVersionsQuery = queryOptions({
  queryKey: ['admin', 'code-of-conduct'],
  queryFn: async () => (await unwrap(registry.GET('/v1/code-of-conduct'))).data.items,
});

export const organisationsQuery = (status?: Schemas['OrganisationStatus']) =>
  queryOptions({
    queryKey: ['admin', 'organisations', status ?? 'all'],
    queryFn: async () =>
      (await unwrap(registry.GET('/v1/organisations', { params: { query: status ? { status } : {} } }))).data.items,
  });

export const acceptancesQuery = (version: number) =>
  queryOptions({
    queryKey: ['admin', 'acceptances', version],
    queryFn: async () =>
      (await unwrap(registry.GET('/v1/code-of-conduct/{version}/acceptances', { params: { path: { version } } }))).data,
  });

/** Organisation roles an org admin may give (network roles are the network's). */
export const ORGANISATION_ROLES = ['org_admin', 'referral_officer', 'job_coach', 'data_protection_officer'] as const;
export const PERMISSIONS = ['consent_override'] as const;
/** What an organisation may grant a partner system (the contract's list without the former name). */
export const GRANTABLE_SCOPES = [
  'directory:read',
  'org:admin',
  'capacity:write',
  'referrals:read',
  'referrals:write',
  'clients:read',
  'clients:write',
  'opportunities:read',
  'opportunities:write',
  'matching:read',
  'matching:write',
  'webhooks:manage',
] as const satisfies readonly Schemas['ApiScope'][];

/** Days from now until an instant (negative once past). */
export const daysUntil = (iso: string, now = Date.now()): number => Math.floor((Date.parse(iso) - now) / 86_400_000);
/** A licence within this many days of its end is flagged on the network admin's screen. */
export const LICENCE_WARNING_DAYS = 90;
