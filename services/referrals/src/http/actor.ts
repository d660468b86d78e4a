import type { FastifyRequest } from 'fastify';
import { AppError } from '@estia/infra/errors/appError.js';
import type { Actor } from '../domain/shared/actor.js';

/** The domain's Actor from the verified token, never from the body. */
export const actorOf = (request: FastifyRequest): Actor => {
  const principal = request.principal;
  if (!principal) throw new AppError('UNAUTHENTICATED', 'A bearer token is required');
  return {
    organisationId: principal.organisationId,
    userId: principal.clientId ?? principal.subject,
    roles: [...principal.roles],
  };
};
