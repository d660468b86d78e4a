import type { FastifyPluginAsync } from 'fastify';
import type { ServiceName } from '@estia/contracts';
import { AppError } from '@estia/infra/errors/appError.js';
import { isStateChanging, requireCsrfToken, requireSameOrigin } from '../security/sameOrigin.js';
import type { SessionStore } from '../sessions/sessionStore.js';
import { sessionEnded } from '../sessions/sessionRoutes.js';
import { findOperation, type ContractOperation } from './contractOperations.js';

export interface ProxyRoutesOptions {
  operations: readonly ContractOperation[];
  upstream: Record<ServiceName, string>;
  sessions: SessionStore;
  publicOrigin: string | undefined;
  fetch?: typeof fetch;
  /** Upstream answer time limit. Default 30 s. */
  timeoutMs?: number;
}

/** Request headers a page may send on to a service; everything else (cookies above all) stays here. */
const FORWARDED_REQUEST_HEADERS = ['content-type', 'accept', 'accept-language', 'if-match', 'idempotency-key'];
/** Answer headers the page needs: the body's type (and a report's file name), versions for If-Match, where a new thing lives. */
const FORWARDED_RESPONSE_HEADERS = ['content-type', 'content-disposition', 'etag', 'location', 'retry-after'];

/**
 * `/api/<service>/<path>`: the page's typed calls, forwarded to the service with the person's token.
 * Only operations the service's OpenAPI document declares pass; public ones (the directory) work
 * without a session. A service answering 401 means the token ended: so does the session.
 */
export const proxyRoutes: FastifyPluginAsync<ProxyRoutesOptions> = async (app, options) => {
  const doFetch = options.fetch ?? fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;

  // Bodies are passed on as they came (the service validates them against its contract).
  app.removeContentTypeParser(['application/json', 'application/merge-patch+json']);
  app.addContentTypeParser(
    ['application/json', 'application/merge-patch+json'],
    { parseAs: 'buffer' },
    (_request, body, done) => done(null, body),
  );

  app.route<{ Params: { service: string; '*': string } }>({
    method: ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'],
    url: '/api/:service/*',
    handler: async (request, reply) => {
      const { service } = request.params;
      const path = `/${request.params['*']}`;
      const operation = findOperation(options.operations, service, request.method, path);
      if (!operation) throw new AppError('NOT_FOUND', `No ${request.method} ${path} in the ${service} API`);
      const changing = isStateChanging(request.method);
      if (changing) requireSameOrigin(request, options.publicOrigin);
      if (!operation.public && !request.session) throw sessionEnded();
      if (changing && request.session) requireCsrfToken(request, request.session.secret);

      const headers: Record<string, string> = { 'x-correlation-id': request.id };
      for (const name of FORWARDED_REQUEST_HEADERS) {
        const value = request.headers[name];
        if (typeof value === 'string') headers[name] = value;
      }
      if (request.session) headers.authorization = `Bearer ${request.session.open.accessToken}`;
      const query = request.url.includes('?') ? request.url.slice(request.url.indexOf('?')) : '';
      const target = new URL(path + query, options.upstream[operation.service]);
      let answer: Response;
      try {
        answer = await doFetch(target, {
          method: request.method,
          headers,
          ...(request.body instanceof Buffer && request.body.byteLength > 0 ? { body: request.body } : {}),
          signal: AbortSignal.timeout(timeoutMs),
          redirect: 'manual',
        });
      } catch (error) {
        request.log.warn({ err: error, service: operation.service }, 'service did not answer');
        throw new AppError('SERVICE_UNAVAILABLE', `The ${operation.service} service did not answer; try again`);
      }
      if (answer.status === 401 && request.session) {
        await options.sessions.destroy(request.session.secret);
        throw sessionEnded();
      }
      reply.code(answer.status);
      for (const name of FORWARDED_RESPONSE_HEADERS) {
        const value = answer.headers.get(name);
        if (value !== null) reply.header(name, value);
      }
      const body = Buffer.from(await answer.arrayBuffer());
      return reply.send(body.byteLength > 0 ? body : undefined);
    },
  });
};
