import type { ApiScope } from '../domain/apiClient/apiClient.js';
import type { Role } from '../domain/shared/actor.js';

/**
 * Scopes a person's token carries, derived from their roles (API clients get the scopes they were
 * created with). Services check scopes for the operation and relationships for the data.
 */
/** People's scopes: the API clients' ones, and the network's figures (never granted to an API client). */
export type PersonScope = ApiScope | 'insights:read';

const BY_ROLE: Record<Role, readonly PersonScope[]> = {
  // Publishes and manages the organisation's opportunities beside its job coaches.
  org_admin: [
    'directory:read',
    'registry:write',
    'capacity:write',
    'referrals:read',
    'clients:read',
    'matching:read',
    'matching:write',
  ],
  referral_officer: [
    'directory:read',
    'capacity:write',
    'referrals:read',
    'referrals:write',
    'clients:read',
    'clients:write',
  ],
  job_coach: ['directory:read', 'matching:read', 'matching:write', 'clients:read'],
  // Finds a client of the organisation's caseload and erases them on their request; reads no case file.
  data_protection_officer: ['directory:read', 'clients:read', 'clients:erase'],
  network_admin: ['directory:read', 'registry:write', 'insights:read'],
  // Auditors read everything and write nothing; the services record each of their reads.
  auditor: ['directory:read', 'referrals:read', 'clients:read', 'matching:read'],
  // Funders read the network's aggregate figures and nothing else: no directory, no cases.
  funder: ['insights:read'],
};

export const scopesForRoles = (roles: readonly Role[]): PersonScope[] =>
  [...new Set(roles.flatMap((role) => BY_ROLE[role]))].sort();
