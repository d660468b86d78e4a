import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

declare module 'fastify' {
  interface FastifyContextConfig {
    /**
     * A public read whose answer may be kept by caches (directory, API documents, JWKS). Everything
     * else answers `Cache-Control: no-store` unless the route set its own.
     */
    cacheable?: boolean;
  }
}

export interface HttpSecuritySettings {
  /**
   * Origins (scheme://host[:port]) whose browsers may call the API. Empty (the default): no CORS
   * headers at all, so only same-origin pages and non-browser clients can read answers.
   */
  corsOrigins?: readonly string[];
  /** The service is reached over TLS (directly or behind a terminating proxy): answers carry HSTS. */
  tls?: boolean;
}

/** An API answers JSON; it never needs to load anything, and nobody may frame it. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'";
export const HSTS = 'max-age=31536000; includeSubDomains';
const CORS_METHODS = 'GET, POST, PUT, PATCH, DELETE';
const CORS_HEADERS = 'Authorization, Content-Type, Idempotency-Key, If-Match, X-Request-Id, X-Correlation-Id';
const CORS_EXPOSED = 'ETag, Location, Retry-After, WWW-Authenticate, X-Request-Id, X-Correlation-Id';

/**
 * What answers given outside the request lifecycle (fastify's frameworkErrors run no onSend hook) must
 * carry by hand.
 */
export const baselineHeaders = (tls: boolean): Record<string, string> => ({
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
  'content-security-policy': API_CONTENT_SECURITY_POLICY,
  'cache-control': 'no-store',
  ...(tls ? { 'strict-transport-security': HSTS } : {}),
});

/** Origins as the browser sends them: lower-case scheme and host, no trailing slash or path. */
export const normaliseOrigin = (origin: string): string => {
  const url = new URL(origin);
  if (url.protocol !== 'https:' && url.protocol !== 'http:') throw new TypeError(`${origin} is not an http(s) origin`);
  return url.origin;
};

const withFrameAncestors = (policy: string): string =>
  /(^|;)\s*frame-ancestors\s/.test(policy) ? policy : `${policy.replace(/;\s*$/, '')}; frame-ancestors 'none'`;

const allowedOrigin = (request: FastifyRequest, origins: ReadonlySet<string>): string | undefined => {
  const origin = request.headers.origin;
  return typeof origin === 'string' && origins.has(origin) ? origin : undefined;
};

/** Adds Origin to Vary without dropping what a route put there (e.g. `accept`). */
const varyOnOrigin = (reply: FastifyReply): void => {
  const current = reply.getHeader('vary');
  const values = (typeof current === 'string' ? current.split(',') : []).map((v) => v.trim()).filter(Boolean);
  if (!values.some((v) => v.toLowerCase() === 'origin')) reply.header('vary', [...values, 'Origin'].join(', '));
};

const corsHeaders = (reply: FastifyReply, origin: string): void => {
  reply.header('access-control-allow-origin', origin);
  reply.header('access-control-expose-headers', CORS_EXPOSED);
};

/**
 * Headers every answer carries, errors and the framework's own included: no MIME sniffing, no framing,
 * no caching of anything not public, HSTS when served over TLS, and CORS for the allow-listed origins
 * only (a preflight from any other origin gets no CORS headers, so the browser refuses the call).
 */
export const registerSecurityHeaders = (app: FastifyInstance, settings: HttpSecuritySettings = {}): void => {
  const origins = new Set((settings.corsOrigins ?? []).map(normaliseOrigin));

  if (origins.size > 0)
    // A preflight (OPTIONS with Access-Control-Request-Method) is answered before routing and authentication:
    // browsers send it without credentials.
    app.addHook('onRequest', async (request, reply) => {
      if (request.method !== 'OPTIONS' || request.headers['access-control-request-method'] === undefined) return;
      const origin = allowedOrigin(request, origins);
      varyOnOrigin(reply);
      if (origin === undefined) return reply.code(204).send();
      corsHeaders(reply, origin);
      reply.header('access-control-allow-methods', CORS_METHODS);
      reply.header('access-control-allow-headers', CORS_HEADERS);
      reply.header('access-control-max-age', '600');
      return reply.code(204).send();
    });

  app.addHook('onSend', async (request, reply, payload) => {
    reply.header('x-content-type-options', 'nosniff');
    reply.header('referrer-policy', 'no-referrer');
    const policy = reply.getHeader('content-security-policy');
    reply.header(
      'content-security-policy',
      typeof policy === 'string' ? withFrameAncestors(policy) : API_CONTENT_SECURITY_POLICY,
    );
    if (settings.tls === true || request.protocol === 'https') reply.header('strict-transport-security', HSTS);
    const cacheable =
      request.routeOptions.config?.cacheable === true &&
      (request.method === 'GET' || request.method === 'HEAD') &&
      reply.statusCode < 400;
    if (!cacheable && !reply.hasHeader('cache-control')) reply.header('cache-control', 'no-store');
    if (origins.size > 0) {
      varyOnOrigin(reply);
      const origin = allowedOrigin(request, origins);
      if (origin !== undefined) corsHeaders(reply, origin);
    }
    return payload;
  });
};
