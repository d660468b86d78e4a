import type { ApiScope } from '../domain/apiClient/apiClient.js';
import type { Role } from '../domain/shared/actor.js';

/**
 * Scopes a person's token carries, derived from their roles (API clients get the scopes they were
 * created with). Services check scopes for the operation and relationships for the data.
 */
const BY_ROLE: Record<Role, readonly ApiScope[]> = {
  org_admin: [
    'directory:read',
    'registry:write',
    'capacity:write',
    'referrals:read',
    'clients:read',
    'matching:read',
    'webhooks:manage',
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
  network_admin: ['directory:read', 'registry:write'],
  // Auditors read everything and write nothing; the services record each of their reads.
  auditor: ['directory:read', 'referrals:read', 'clients:read', 'matching:read'],
};

export const scopesForRoles = (roles: readonly Role[]): ApiScope[] =>
  [...new Set(roles.flatMap((role) => BY_ROLE[role]))].sort();
