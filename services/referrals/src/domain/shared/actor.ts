import { AppError } from '@estia/infra/errors/appError.js';

/**
 * Grants carried by a person's token (issued by the registry; see infra/src/auth/principal.ts).
 * `consent_override` is a permission granted on top of `referral_officer` to a few people.
 * `data_protection_officer` is not issued yet: until it is, an organisation's `org_admin` erases.
 */
export type Role =
  'referral_officer' | 'consent_override' | 'org_admin' | 'data_protection_officer' | 'auditor' | 'network_admin';

/** Who acts: ids only, never names (they end up in events and logs). */
export interface Actor {
  organisationId: string;
  userId: string;
  roles: readonly string[];
}

export const hasRole = (actor: Actor, role: Role): boolean => actor.roles.includes(role);

export const requireRole = (actor: Actor, role: Role, action: string): void => {
  if (!hasRole(actor, role)) throw new AppError('FORBIDDEN', `${action} requires the ${role} role`);
};

export const requireAnyRole = (actor: Actor, roles: readonly Role[], action: string): void => {
  if (!roles.some((role) => hasRole(actor, role)))
    throw new AppError('FORBIDDEN', `${action} requires one of the roles ${roles.join(', ')}`);
};

export const actedBy = (actor: Actor): { organisationId: string; userId: string } => ({
  organisationId: actor.organisationId,
  userId: actor.userId,
});
