import cookie from '@fastify/cookie';
import type { FastifyInstance, FastifyRequest } from 'fastify';

import type { ServiceName } from '@estia/contracts';
import type { TokenVerifier } from '@estia/infra/auth/tokenVerifier.js';
import { createHttpApp, type CreateHttpAppOptions } from '@estia/infra/http/createHttpApp.js';
import { contractOperations } from './proxy/contractOperations.js';
import { proxyRoutes } from './proxy/proxyRoutes.js';
import { registerSecurityHeaders } from './security/securityHeaders.js';
import { loadSession, sessionRoutes } from './sessions/sessionRoutes.js';
import type { SessionStore } from './sessions/sessionStore.js';
import { tokenRefresher } from './sessions/tokenRefresh.js';
import { spaRoutes } from './spa/spaRoutes.js';
import { demoReceiverRoutes } from './demoReceiver/demoReceiverRoutes.js';

export interface ConsoleAppOptions {
  sessions: SessionStore;
  verifier: TokenVerifier;
  upstream: Record<ServiceName, string>;
  idleMs: number;
  publicOrigin?: string | undefined;
  trustProxy?: boolean;
  /** The built page; null serves the API only (back-end tests). */
  distDir: string | null;
  logger?: CreateHttpAppOptions['logger'];
  fetch?: typeof fetch;
  /** The demo network's webhook secret: mounts the built-in receiver page's back end. */
  demoWebhookSecret?: string | undefined;
}

/**
 * The back end for the console's page: sessions, CSRF and security headers, the typed service calls
 * forwarded with the person's token, and the built page. No data of its own beyond sessions.
 */
export const buildConsoleApp = async (options: ConsoleAppOptions): Promise<FastifyInstance> => {
  // People authenticate by session cookie here, not by bearer token: the http kit's token check is off
  // and the session hook below takes its place; the services still verify every forwarded token.
  const app = await createHttpApp({
    service: 'console',
    ...(options.logger ? { logger: options.logger } : {}),
    auth: false,
    readiness: { sessions: () => options.sessions.ping() },
    trustProxy: options.trustProxy ?? false,
    rateLimit: { max: 1200, timeWindow: '1 minute' },
  });
  const secureCookies = (request: FastifyRequest) =>
    request.protocol === 'https' || (options.publicOrigin?.startsWith('https:') ?? false);
  registerSecurityHeaders(app, { tls: (secure) => secure || (options.publicOrigin?.startsWith('https:') ?? false) });
  await app.register(cookie);
  app.decorateRequest('session', null);
  const refresh = tokenRefresher({
    sessions: options.sessions,
    registryUrl: options.upstream.registry,
    idleMs: options.idleMs,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  app.addHook('onRequest', loadSession(options.sessions, refresh));

  await app.register(sessionRoutes, {
    sessions: options.sessions,
    verifier: options.verifier,
    registryUrl: options.upstream.registry,
    idleMs: options.idleMs,
    publicOrigin: options.publicOrigin,
    secureCookies,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  await app.register(proxyRoutes, {
    operations: contractOperations(),
    upstream: options.upstream,
    sessions: options.sessions,
    publicOrigin: options.publicOrigin,
    ...(options.fetch ? { fetch: options.fetch } : {}),
  });
  if (options.demoWebhookSecret) await app.register(demoReceiverRoutes, { secret: options.demoWebhookSecret });
  if (options.distDir) await app.register(spaRoutes, { distDir: options.distDir });
  return app;
};
