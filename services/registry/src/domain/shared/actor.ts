/**
 * Who issues a command. The application layer builds it from the verified token; the domain only
 * reads it, so authorisation rules stay testable without any auth machinery.
 */
export const ORGANISATION_ROLES = ['org_admin', 'referral_officer', 'job_coach', 'data_protection_officer'] as const;
export const NETWORK_ROLES = ['network_admin', 'auditor', 'funder'] as const;
export const PERMISSIONS = ['consent_override'] as const;

export type OrganisationRole = (typeof ORGANISATION_ROLES)[number];
export type NetworkRole = (typeof NETWORK_ROLES)[number];
export type Role = OrganisationRole | NetworkRole;
export type Permission = (typeof PERMISSIONS)[number];

export interface Actor {
  /** Person id or API client id. */
  principalId: string;
  /** The organisation the principal acts for; absent for network staff without one. */
  organisationId?: string;
  roles: readonly Role[];
  permissions?: readonly Permission[];
}

export const isOrganisationRole = (role: string): role is OrganisationRole =>
  (ORGANISATION_ROLES as readonly string[]).includes(role);
export const isNetworkRole = (role: string): role is NetworkRole => (NETWORK_ROLES as readonly string[]).includes(role);

export const hasRole = (actor: Actor, role: Role): boolean => actor.roles.includes(role);

/** An organisation role only counts inside the organisation the actor acts for. */
export const hasRoleIn = (actor: Actor, organisationId: string, role: OrganisationRole): boolean =>
  actor.organisationId === organisationId && actor.roles.includes(role);
