import type { FastifyInstance, onRequestAsyncHookHandler } from 'fastify';
import { authenticate } from '../auth/requireAuth.js';
import type { TokenVerifier } from '../auth/tokenVerifier.js';

/**
 * Secure by default: every route registered after this requires a valid bearer token, unless it
 * opts out with `config: { public: true }`. The check is added per route (after the rate limiter,
 * so floods are refused before any signature is verified) in onRequest, before the body is read.
 */
export const registerAuthentication = (app: FastifyInstance, verifier: TokenVerifier): void => {
  app.decorateRequest('principal', undefined);
  const hook: onRequestAsyncHookHandler = async function authenticateRequest(request) {
    // Read at request time: an encapsulated plugin may mark its routes public in its own onRoute hook.
    if (request.routeOptions.config.public === true) return;
    await authenticate(request, verifier);
  };
  app.addHook('onRoute', (route) => {
    const existing =
      route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    route.onRequest = [...existing, hook];
  });
};
