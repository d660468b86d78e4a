import type { FastifyInstance, onRequestAsyncHookHandler, RouteOptions } from 'fastify';
import { ForbiddenError, UnauthenticatedError } from '../auth/authErrors.js';

const METHODS = ['get', 'put', 'post', 'delete', 'patch'] as const;

/** What an OpenAPI operation demands of a caller. */
export interface OperationSecurity {
  operationId: string;
  method: string;
  /** The document's path template, e.g. /v1/clients/{clientId}. */
  template: string;
  /** `security: []`: callable without a token. */
  public: boolean;
  /** Alternatives (OR), each a set of scopes that must all be held (AND), as OpenAPI reads `security`. */
  alternatives: string[][];
}

interface OpenApiLike {
  security?: Record<string, string[]>[];
  paths?: Record<string, Record<string, unknown>>;
}

/** `/v1/clients/{clientId}` and fastify's `/v1/clients/:id` both become `/v1/clients/{}`. */
const shapeOf = (path: string): string =>
  path
    .split('/')
    .map((segment) => (/^\{[^}]+\}$/.test(segment) || segment.startsWith(':') ? '{}' : segment))
    .join('/');

const keyOf = (method: string, path: string): string =>
  `${method.toUpperCase() === 'HEAD' ? 'GET' : method.toUpperCase()} ${shapeOf(path)}`;

/** Every operation of a document with its effective security requirement (its own, else the document's). */
export const operationsOf = (document: Record<string, unknown>): OperationSecurity[] => {
  const doc = document as OpenApiLike;
  const operations: OperationSecurity[] = [];
  for (const [template, item] of Object.entries(doc.paths ?? {}))
    for (const method of METHODS) {
      const operation = item[method] as { operationId?: string; security?: Record<string, string[]>[] } | undefined;
      if (!operation) continue;
      const security = operation.security ?? doc.security ?? [];
      operations.push({
        operationId: operation.operationId ?? `${method} ${template}`,
        method: method.toUpperCase(),
        template,
        public: security.length === 0,
        alternatives: security.map((requirement) => [...new Set(Object.values(requirement).flat())]),
      });
    }
  return operations;
};

/** The scopes the RFC 6750 challenge names: those of the alternative the principal comes closest to. */
const scopesToAsk = (alternatives: string[][], held: readonly string[]): string[] => {
  const ranked = alternatives
    .map((scopes) => scopes.filter((s) => !held.includes(s)))
    .sort((a, b) => a.length - b.length);
  return ranked[0] ?? [];
};

/**
 * Least privilege from the contract: every route's scopes come from its operation's `security` in the
 * service's OpenAPI document, never from a list kept beside the code. At start (`ready`) every route must
 * be an operation of the document (or a public route of the kit: docs), the document's public operations
 * must be the routes marked public and every other operation must name at least one scope. On each request
 * (onRequest, after authentication, before the body is read) a token lacking the scopes gets 403
 * insufficient_scope with the RFC 6750 challenge.
 */
export const registerOperationSecurity = (app: FastifyInstance, document: Record<string, unknown>): void => {
  const byKey = new Map(operationsOf(document).map((op) => [keyOf(op.method, op.template), op]));
  const routes: RouteOptions[] = [];

  const hook: onRequestAsyncHookHandler = async function checkOperationScopes(request) {
    if (request.routeOptions.config.public === true) return;
    const principal = request.principal;
    if (!principal) throw new UnauthenticatedError('A bearer token is required', false);
    const operation = byKey.get(keyOf(request.method, request.routeOptions.url ?? ''));
    // Unreachable after the start-up check; refuse rather than let an undeclared route through.
    if (!operation) throw new ForbiddenError('This operation is not in the service contract');
    const allowed = operation.alternatives.some((scopes) => scopes.every((s) => principal.scopes.includes(s)));
    if (!allowed) {
      const missing = scopesToAsk(operation.alternatives, principal.scopes);
      throw new ForbiddenError(`${operation.operationId} requires the scope ${missing.join(' ')}`, missing);
    }
  };

  app.addHook('onRoute', (route) => {
    routes.push(route);
    const existing =
      route.onRequest === undefined ? [] : Array.isArray(route.onRequest) ? route.onRequest : [route.onRequest];
    route.onRequest = [...existing, hook];
  });

  // Checked once every plugin has run its onRoute hooks (the docs plugin marks its routes public in its own).
  app.addHook('onReady', async () => {
    const problems: string[] = [];
    for (const route of routes) {
      const isPublic = route.config?.public === true;
      for (const method of [route.method].flat()) {
        if (method === 'HEAD' || method === 'OPTIONS') continue;
        const operation = byKey.get(keyOf(method, route.url));
        if (!operation) {
          if (!isPublic) problems.push(`${method} ${route.url} is not an operation of the OpenAPI document`);
          continue;
        }
        if (operation.public !== isPublic)
          problems.push(
            `${method} ${route.url}: the document says ${operation.public ? 'public (security: [])' : 'secured'}, the route ${isPublic ? 'public' : 'secured'}`,
          );
        if (!operation.public && operation.alternatives.some((scopes) => scopes.length === 0))
          problems.push(`${operation.operationId} names no scope in its security requirement`);
      }
    }
    if (problems.length > 0) throw new Error(`operation security:\n  ${problems.join('\n  ')}`);
  });
};
