import type { FastifyRequest } from 'fastify';
import { AppError } from '@estia/infra/errors/appError.js';
import {
  isNetworkRole,
  isOrganisationRole,
  PERMISSIONS,
  type Actor,
  type Permission,
  type Role,
} from '../domain/shared/actor.js';
import { NETWORK_ORGANISATION_ID } from '../auth/token.js';

/** The domain's Actor from the verified token (never from the body). */
export const actorOf = (request: FastifyRequest): Actor => {
  const principal = request.principal;
  if (!principal) throw new AppError('UNAUTHENTICATED', 'A bearer token is required');
  const roles = principal.roles.filter((r): r is Role => isOrganisationRole(r) || isNetworkRole(r));
  const permissions = principal.roles.filter((r): r is Permission => (PERMISSIONS as readonly string[]).includes(r));
  return {
    principalId: principal.clientId ?? principal.subject,
    ...(principal.organisationId === NETWORK_ORGANISATION_ID ? {} : { organisationId: principal.organisationId }),
    roles,
    permissions,
  };
};
