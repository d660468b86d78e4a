import type { Role } from './principal.js';

/**
 * The OAuth2 scopes of the network. Every operation of every service's OpenAPI document names the scope(s)
 * it needs (`security: [{ oauth2: [...] }]`) and the http kit checks them on every request; roles and
 * relationships (who holds the case, who sent the referral) are then checked on the data.
 */
export const SCOPES = {
  'directory:read': 'Read the member directory, exchange status and reference data (ESCO)',
  'org:admin': "Manage one's own organisation: people, services, API clients, code-of-conduct acceptance",
  'network:admin': 'Approve, suspend and reinstate member organisations; publish the code of conduct',
  'capacity:write': "Update the capacity of one's own services",
  'clients:read': "Read clients of one's caseload (within what their consents share)",
  'clients:write': 'Register clients, record consents, legal status, needs and access requests',
  'clients:erase': "Erase a client of one's organisation on their request (data protection officers)",
  'referrals:read': "Read referrals one's organisation sent or received, their threads and reminders",
  'referrals:write': 'Send, answer, forward and comment on referrals',
  'opportunities:read': 'Read job, training, volunteering and mentoring opportunities',
  'opportunities:write': "Publish and manage one's own organisation's opportunities",
  'matching:read': 'Read candidates and matches of consenting clients, and placements',
  'matching:write': 'Propose candidates and record the steps of a placement',
  'audit:read': "Replay and verify clients' case histories (every read is recorded)",
  'reports:read': 'Read network oversight reports (consent overrides)',
  'insights:read': "Read the network's aggregate figures (funders, network administrators)",
  'webhooks:manage': "Manage the organisation's webhook subscriptions and read their delivery log",
} as const;

export type Scope = keyof typeof SCOPES;
export const SCOPE_NAMES = Object.keys(SCOPES) as Scope[];
export const isScope = (value: string): value is Scope => Object.hasOwn(SCOPES, value);

/**
 * Least privilege per role: what a person's token carries. The services narrow further by relationship
 * (a job coach sees a client only through a job-matching consent, an org admin reads no case file).
 * Permissions (consent_override) carry no scope: they only widen what a role's scope already allows.
 */
export const ROLE_SCOPES: Record<Role, readonly Scope[]> = {
  // An employer's administrator runs its offers and their placements (pseudonymous until the client agrees);
  // the services refuse a case or a candidate profile to an org admin that is not also an officer or coach.
  org_admin: [
    'directory:read',
    'org:admin',
    'capacity:write',
    'opportunities:read',
    'opportunities:write',
    'matching:read',
    'matching:write',
    'webhooks:manage',
  ],
  referral_officer: [
    'directory:read',
    'capacity:write',
    'clients:read',
    'clients:write',
    'referrals:read',
    'referrals:write',
  ],
  job_coach: [
    'directory:read',
    'clients:read',
    'opportunities:read',
    'opportunities:write',
    'matching:read',
    'matching:write',
  ],
  // Finds a client of the organisation's caseload and erases them on their request; reads no case file.
  data_protection_officer: ['directory:read', 'clients:read', 'clients:erase'],
  network_admin: ['directory:read', 'network:admin', 'reports:read', 'insights:read'],
  // Auditors read everything and write nothing; the services record each of their reads.
  auditor: [
    'directory:read',
    'audit:read',
    'reports:read',
    'clients:read',
    'referrals:read',
    'opportunities:read',
    'matching:read',
  ],
  // Funders read the network's aggregate figures and nothing else: no directory, no cases.
  funder: ['insights:read'],
  consent_override: [],
};

export const scopesForRoles = (roles: readonly Role[]): Scope[] =>
  [...new Set(roles.flatMap((role) => ROLE_SCOPES[role]))].sort();
