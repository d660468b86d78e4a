/** Roles a person or API client can hold within its organisation (or the network). */
export const ROLES = [
  'org_admin',
  'referral_officer',
  'job_coach',
  'network_admin',
  'auditor',
  // Reads the network's aggregate figures (insights) and nothing else.
  'funder',
  'consent_override',
  // Of the organisation holding a case: erases clients on their request (and handles their other rights).
  'data_protection_officer',
] as const;
export type Role = (typeof ROLES)[number];

/** Who is acting: taken from a verified access token, never from a request body. */
export interface Principal {
  /** `sub`: the user id, or the client id for client-credentials tokens. */
  subject: string;
  organisationId: string;
  roles: Role[];
  scopes: string[];
  /** `client_id` (RFC 9068) when a partner system acts through an API client. */
  clientId?: string;
}

/**
 * Claim names in ESTIA access tokens (RFC 9068 JWT profile plus two private claims). The registry
 * issues tokens with exactly these; every service reads them through `principalFromClaims`.
 */
export const CLAIMS = {
  subject: 'sub',
  organisationId: 'org_id',
  roles: 'roles',
  /** Space-delimited, as in OAuth 2.0. */
  scope: 'scope',
  clientId: 'client_id',
} as const;

/** Maps verified claims to a principal; returns a reason string when a required claim is wrong. */
export const principalFromClaims = (claims: Record<string, unknown>): Principal | string => {
  const subject = claims[CLAIMS.subject];
  const organisationId = claims[CLAIMS.organisationId];
  const roles = claims[CLAIMS.roles] ?? [];
  const scope = claims[CLAIMS.scope] ?? '';
  const clientId = claims[CLAIMS.clientId];
  if (typeof subject !== 'string' || subject === '') return 'token has no subject';
  if (typeof organisationId !== 'string' || organisationId === '') return `token has no ${CLAIMS.organisationId}`;
  if (
    !Array.isArray(roles) ||
    !roles.every((r): r is Role => typeof r === 'string' && (ROLES as readonly string[]).includes(r))
  )
    return 'token has unknown roles';
  if (typeof scope !== 'string') return 'token scope is not a string';
  if (clientId !== undefined && typeof clientId !== 'string') return 'token client_id is not a string';
  return {
    subject,
    organisationId,
    roles: [...new Set(roles)],
    scopes: scope.split(' ').filter(Boolean),
    ...(clientId === undefined ? {} : { clientId }),
  };
};
