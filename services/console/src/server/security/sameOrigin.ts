import type { FastifyRequest } from 'fastify';
import { AppError } from '@estia/infra/errors/appError.js';
import { csrfTokenMatches, type SessionSecret } from '../sessions/sessionSecret.js';

export const CSRF_HEADER = 'x-csrf-token';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

export const isStateChanging = (method: string): boolean => !SAFE_METHODS.has(method.toUpperCase());

/** The origin the page was loaded from, as the browser names it. */
export const expectedOrigin = (request: FastifyRequest, publicOrigin: string | undefined): string =>
  publicOrigin ? new URL(publicOrigin).origin : `${request.protocol}://${request.host}`;

/**
 * State-changing calls must come from the console's own pages: the browser's Origin header names the
 * page that sent them (a cross-site form or script cannot forge it), and SameSite=Strict keeps the
 * cookie off cross-site requests anyway. Sign-in has no session yet, so this is its only guard.
 */
export const requireSameOrigin = (request: FastifyRequest, publicOrigin: string | undefined): void => {
  const origin = request.headers.origin;
  if (origin === undefined || origin !== expectedOrigin(request, publicOrigin))
    throw new AppError('FORBIDDEN', 'This request must come from the console itself (Origin header)');
};

/** With a session: the CSRF token derived from it must be echoed in a header no other site can set. */
export const requireCsrfToken = (request: FastifyRequest, secret: SessionSecret): void => {
  const presented = request.headers[CSRF_HEADER];
  if (!csrfTokenMatches(secret, typeof presented === 'string' ? presented : undefined))
    throw new AppError('FORBIDDEN', `Missing or wrong ${CSRF_HEADER} header: reload the page and try again`);
};
