import { parse as parseForm } from 'node:querystring';
import type { FastifyPluginAsync } from 'fastify';
import { audienceOf } from '@estia/infra/auth/tokenVerifier.js';
import { AppError } from '@estia/infra/errors/appError.js';
import type { apiClientHandlers } from '../application/apiClientHandlers.js';
import type { peopleHandlers } from '../application/peopleHandlers.js';
import { tokenForClient, tokenForPerson, type TokenSettings } from '../application/tokens.js';
import { publicJwks } from '../auth/signingKeys.js';
import { createSignInThrottle, type SignInThrottle } from '../auth/signInThrottle.js';
import { verifyToken } from '../auth/token.js';
import { contractSchema } from './contractSchemas.js';

export interface AuthRoutesOptions {
  tokens: TokenSettings;
  /** Sign-in throttling per (account, address); default: a fresh in-memory one. */
  throttle?: SignInThrottle;
  /** Milliseconds now (tests move it); default Date.now. */
  nowMs?: () => number;
  people: ReturnType<typeof peopleHandlers>;
  clients: ReturnType<typeof apiClientHandlers>;
}

/** A refresh keeps a signed-in person's session going at most this long after their password sign-in. */
export const MAX_SIGN_IN_AGE_SECONDS = 12 * 60 * 60;

/** Credentials are guessable targets: a tight limit per client address. */
const CREDENTIAL_LIMIT = { public: true, rateLimit: { max: 20, timeWindow: '1 minute' } } as const;

const tokenResponse = (token: { accessToken: string; expiresIn: number }) => ({
  access_token: token.accessToken,
  token_type: 'Bearer',
  expires_in: token.expiresIn,
});

/**
 * The registry as authorisation server: the JWKS every service verifies against, OAuth2 client
 * credentials for partner systems (RFC 6749 §4.4, form or JSON body) and password sign-in for people.
 */
export const authRoutes: FastifyPluginAsync<AuthRoutesOptions> = async (app, options) => {
  const { tokens, people, clients } = options;
  const throttle = options.throttle ?? createSignInThrottle();
  const nowMs = options.nowMs ?? Date.now;
  // RFC 6749 mandates form encoding for the token endpoint; scoped to this plugin only.
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_request, body, done) =>
    done(null, parseForm(body as string)),
  );

  app.get(
    '/.well-known/jwks.json',
    { config: { public: true, cacheable: true, rateLimit: false } },
    async (_request, reply) => {
      // Short cache: a rotation must reach verifiers well within a token's 10-minute life.
      reply.header('cache-control', 'public, max-age=60');
      return publicJwks(tokens.keyRing());
    },
  );

  app.post<{ Body: Record<string, unknown> }>('/oauth/token', { config: CREDENTIAL_LIMIT }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    const body = request.body ?? {};
    let clientId = typeof body.client_id === 'string' ? body.client_id : undefined;
    let secret = typeof body.client_secret === 'string' ? body.client_secret : undefined;
    const basic = /^Basic (.+)$/i.exec(request.headers.authorization ?? '');
    if (basic) {
      const [id, ...rest] = Buffer.from(basic[1]!, 'base64').toString('utf8').split(':');
      clientId = decodeURIComponent(id ?? '');
      secret = decodeURIComponent(rest.join(':'));
    }
    if (body.grant_type !== 'client_credentials')
      throw new AppError('VALIDATION_FAILED', 'unsupported_grant_type: only client_credentials is supported', {
        errors: [{ pointer: '/body/grant_type', detail: 'must be client_credentials' }],
      });
    if (!clientId || !secret) throw new AppError('UNAUTHENTICATED', 'invalid_client');
    const client = await clients.authenticate(clientId, secret);
    const requested = typeof body.scope === 'string' ? [...new Set(body.scope.split(' ').filter(Boolean))] : undefined;
    // A client may ask for less than it was granted, never more (RFC 6749 §5.2 invalid_scope).
    const beyond = (requested ?? []).filter((s) => !(client.scopes as readonly string[]).includes(s));
    if (beyond.length > 0)
      throw new AppError('VALIDATION_FAILED', `invalid_scope: not granted to this client: ${beyond.join(' ')}`, {
        errors: [{ pointer: '/body/scope', detail: `names scopes not granted to this client: ${beyond.join(' ')}` }],
        extensions: { error: 'invalid_scope' },
      });
    const scopes = requested ? client.scopes.filter((s) => requested.includes(s)) : client.scopes;
    return tokenResponse(await tokenForClient(tokens, clientId, { ...client, scopes }));
  });

  app.post<{ Body: { email: string; password: string } }>(
    '/auth/sign-in',
    {
      config: CREDENTIAL_LIMIT,
      schema: { body: contractSchema('SignIn') },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const { email, password } = request.body;
      // No lock-out: a pair that keeps failing waits, growing; the same answer whether the account exists.
      const wait = throttle.waitMs(email, request.ip, nowMs());
      if (wait > 0) {
        const seconds = Math.ceil(wait / 1000);
        throw Object.assign(
          new AppError('RATE_LIMITED', `Too many failed sign-ins from this address: retry in ${seconds} s`),
          { headers: { 'retry-after': String(seconds) } },
        );
      }
      let actor;
      try {
        actor = await people.signIn(email, password);
      } catch (error) {
        if (error instanceof AppError && error.code === 'UNAUTHENTICATED') throttle.failed(email, request.ip, nowMs());
        throw error;
      }
      throttle.succeeded(email, request.ip);
      return tokenResponse(await tokenForPerson(tokens, actor));
    },
  );

  // A back end for people (the console) swaps a person's still-valid token for a fresh one, with their
  // current roles, so a session lasts while they work; never past MAX_SIGN_IN_AGE_SECONDS after the
  // password sign-in, never for a deactivated person, never for an API client.
  app.post<{ Body: { access_token: string } }>(
    '/auth/refresh',
    {
      config: { public: true, rateLimit: { max: 1200, timeWindow: '1 minute' } },
      schema: { body: contractSchema('RefreshToken') },
    },
    async (request, reply) => {
      reply.header('cache-control', 'no-store');
      const claims = await verifyToken(publicJwks(tokens.keyRing()) as never, request.body.access_token, {
        issuer: tokens.issuer,
        // Only the console's back end refreshes: the token must have been issued for it.
        audience: audienceOf('console'),
      }).catch(() => null);
      const now = Math.floor(Date.now() / 1000);
      const authTime = claims?.auth_time ?? claims?.iat;
      if (!claims || claims.principal_type !== 'person' || authTime === undefined)
        throw new AppError('UNAUTHENTICATED', 'the token is not a valid person token; sign in again');
      if (now - authTime > MAX_SIGN_IN_AGE_SECONDS)
        throw new AppError('UNAUTHENTICATED', 'signed in too long ago; sign in again');
      const actor = await people.refresh(claims.sub);
      return tokenResponse(await tokenForPerson(tokens, actor, authTime));
    },
  );
};
