import { AppError } from '@estia/infra/errors/appError.js';
import { hasRole, hasRoleIn, type Actor, type OrganisationRole } from './actor.js';

export const requireNetworkAdmin = (actor: Actor, action: string): void => {
  if (!hasRole(actor, 'network_admin')) throw new AppError('FORBIDDEN', `only a network administrator may ${action}`);
};

/** Passes if the actor holds one of `roles` in `organisationId` (or is a network admin when allowed). */
export const requireOrganisationRole = (
  actor: Actor,
  organisationId: string,
  roles: readonly OrganisationRole[],
  action: string,
  options: { networkAdminMay?: boolean } = {},
): void => {
  if (options.networkAdminMay && hasRole(actor, 'network_admin')) return;
  if (roles.some((role) => hasRoleIn(actor, organisationId, role))) return;
  throw new AppError('FORBIDDEN', `only ${roles.join(' or ')} of organisation ${organisationId} may ${action}`);
};
