import type { FastifyBaseLogger, FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TokenVerifier } from '@estia/infra/auth/tokenVerifier.js';
import { AppError } from '@estia/infra/errors/appError.js';
import { requireCsrfToken, requireSameOrigin } from '../security/sameOrigin.js';
import { csrfTokenOf, newSessionSecret, parseSessionSecret, type SessionSecret } from './sessionSecret.js';
import type { OpenSession, SessionStore } from './sessionStore.js';
import type { SessionView } from './sessionView.js';

export const SESSION_COOKIE = 'estia_session';

export interface SessionRoutesOptions {
  sessions: SessionStore;
  verifier: TokenVerifier;
  registryUrl: string;
  idleMs: number;
  publicOrigin: string | undefined;
  /** Secure cookies: under TLS (seen directly or through a trusted proxy) or when the public origin is https. */
  secureCookies: (request: FastifyRequest) => boolean;
  fetch?: typeof fetch;
}

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by `loadSession` when the request carries a live session cookie. */
    session: { secret: SessionSecret; open: OpenSession } | null;
  }
}

const cookieOptions = (secure: boolean) => ({
  path: '/',
  httpOnly: true,
  sameSite: 'strict' as const,
  secure,
});

const sessionEnded = () =>
  new AppError('UNAUTHENTICATED', 'Your session has ended: sign in again', { extensions: { session: 'ended' } });

/**
 * Sign-in, the session answer and sign-out. The registry's token is verified against its JWKS and
 * stays here; the browser gets an opaque httpOnly cookie and a CSRF token.
 */
export const sessionRoutes: FastifyPluginAsync<SessionRoutesOptions> = async (app, options) => {
  const { sessions, verifier } = options;
  const doFetch = options.fetch ?? fetch;

  const view = async (secret: SessionSecret, open: OpenSession): Promise<SessionView> => {
    const principal = await verifier.verify(open.accessToken);
    return {
      organisationId: principal.organisationId,
      roles: principal.roles,
      endsAt: open.endsAt,
      idleTimeoutSeconds: Math.round(options.idleMs / 1000),
      csrfToken: csrfTokenOf(secret),
    };
  };

  app.post<{ Body: { email?: unknown; password?: unknown } }>(
    '/api/session',
    { config: { rateLimit: { max: 20, timeWindow: '1 minute' } } },
    async (request, reply) => {
      requireSameOrigin(request, options.publicOrigin);
      const { email, password } = request.body ?? {};
      const errors = [
        ...(typeof email === 'string' && email.trim() !== '' ? [] : [{ pointer: '/email', detail: 'is required' }]),
        ...(typeof password === 'string' && password !== '' ? [] : [{ pointer: '/password', detail: 'is required' }]),
      ];
      if (errors.length > 0) throw new AppError('VALIDATION_FAILED', 'Enter your e-mail and password', { errors });
      const answer = await doFetch(new URL('/auth/sign-in', options.registryUrl), {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-correlation-id': request.id },
        body: JSON.stringify({ email, password }),
      });
      if (!answer.ok) {
        // The registry's own words (wrong credentials, locked until …, too many attempts), no token.
        const problem = (await answer.json().catch(() => ({}))) as Record<string, unknown>;
        return reply
          .code(answer.status)
          .type('application/problem+json')
          .send({ ...problem, status: answer.status });
      }
      const token = (await answer.json()) as { access_token: string; expires_in: number };
      await verifier.verify(token.access_token);
      const secret = newSessionSecret();
      await sessions.create(secret, token.access_token, Date.now() + token.expires_in * 1000);
      const open = await sessions.touch(secret);
      if (!open) throw sessionEnded();
      reply.setCookie(SESSION_COOKIE, secret.value, cookieOptions(options.secureCookies(request)));
      reply.header('cache-control', 'no-store');
      return reply.code(201).send(await view(secret, open));
    },
  );

  app.get('/api/session', async (request, reply) => {
    if (!request.session) {
      clearIfPresent(request, reply);
      throw sessionEnded();
    }
    return view(request.session.secret, request.session.open);
  });

  app.delete('/api/session', async (request, reply) => {
    requireSameOrigin(request, options.publicOrigin);
    const secret = parseSessionSecret(request.cookies[SESSION_COOKIE]);
    if (secret) {
      if (request.session) requireCsrfToken(request, secret);
      await sessions.destroy(secret);
    }
    reply.clearCookie(SESSION_COOKIE, cookieOptions(options.secureCookies(request)));
    return reply.code(204).send();
  });

  const clearIfPresent = (request: FastifyRequest, reply: FastifyReply) => {
    if (request.cookies[SESSION_COOKIE] !== undefined)
      reply.clearCookie(SESSION_COOKIE, cookieOptions(options.secureCookies(request)));
  };
};

/**
 * Reads the cookie on every request; an ended or unknown session reads as none. A live one whose token
 * is close to expiry gets a fresh token first (`refresh`), so the person's work is not cut short.
 */
export const loadSession =
  (
    sessions: SessionStore,
    refresh?: (secret: SessionSecret, open: OpenSession, log?: FastifyBaseLogger) => Promise<OpenSession>,
  ) =>
  async (request: FastifyRequest): Promise<void> => {
    const secret = parseSessionSecret(request.cookies[SESSION_COOKIE]);
    const touched = secret ? await sessions.touch(secret) : null;
    const open = secret && touched && refresh ? await refresh(secret, touched, request.log) : touched;
    request.session = secret && open ? { secret, open } : null;
  };

export { sessionEnded };
