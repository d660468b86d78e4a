import type { FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import { ForbiddenError, UnauthenticatedError } from './authErrors.js';
import type { Principal, Role } from './principal.js';
import type { TokenVerifier } from './tokenVerifier.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the authentication hook on every non-public route; undefined on public ones. */
    principal: Principal | undefined;
  }
  interface FastifyContextConfig {
    /** Opt a route out of authentication (health, public directory). Everything else requires a token. */
    public?: boolean;
  }
}

/** The bearer token of a request, or undefined. A malformed Authorization header is a 401. */
export const bearerToken = (request: FastifyRequest): string | undefined => {
  const header = request.headers.authorization;
  if (header === undefined || header === '') return undefined;
  const match = /^Bearer ([A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+\.[A-Za-z0-9\-_]+)$/i.exec(header.trim());
  if (!match) throw new UnauthenticatedError('Authorization header is not a bearer token', true);
  return match[1];
};

/** Verifies the request's token and sets `request.principal`. Throws 401 problems. */
export const authenticate = async (request: FastifyRequest, verifier: TokenVerifier): Promise<Principal> => {
  if (request.principal) return request.principal;
  const token = bearerToken(request);
  if (token === undefined) throw new UnauthenticatedError('A bearer token is required', false);
  request.principal = await verifier.verify(token);
  return request.principal;
};

export interface RequireAuthOptions {
  /** The principal needs at least one of these roles. */
  roles?: readonly Role[];
  /** The principal needs every one of these scopes. */
  scopes?: readonly string[];
}

/**
 * Route-level preHandler: `{ preHandler: requireAuth({ roles: ['referral_officer'] }) }`.
 * Authentication itself happens earlier (http kit onRequest hook); this checks what the principal may do.
 */
export const requireAuth = (options: RequireAuthOptions = {}): preHandlerAsyncHookHandler =>
  async function requireAuthHandler(request: FastifyRequest, _reply: FastifyReply) {
    const principal = request.principal;
    if (!principal) throw new UnauthenticatedError('A bearer token is required', false);
    checkPermissions(principal, options);
  };

/** Throws ForbiddenError when the principal lacks the roles or scopes. Usable outside HTTP too. */
export const checkPermissions = (principal: Principal, { roles, scopes }: RequireAuthOptions): void => {
  if (roles && roles.length > 0 && !roles.some((role) => principal.roles.includes(role)))
    throw new ForbiddenError(`Requires one of the roles: ${roles.join(', ')}`);
  const missing = (scopes ?? []).filter((scope) => !principal.scopes.includes(scope));
  if (missing.length > 0) throw new ForbiddenError(`Requires the scopes: ${missing.join(' ')}`, missing);
};
