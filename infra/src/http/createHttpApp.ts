import Fastify, { LogController, type FastifyInstance, type FastifyPluginAsync } from 'fastify';
import rateLimit from '@fastify/rate-limit';
import type { Logger } from 'pino';
import type { TokenVerifier } from '../auth/tokenVerifier.js';
import { AppError } from '../errors/appError.js';
import type { EventStore } from '../eventStore/types.js';
import { registerAuthentication } from './authentication.js';
import { CONTRACT_CHECK_ENV, registerContractConformance } from './contractConformance.js';
import { registerHealthRoutes, type ProcessorReadiness, type ReadinessCheck } from './health.js';
import { registerMetrics } from './httpMetrics.js';
import type { MetricsRegistry } from './metrics.js';
import { registerIdempotency } from './idempotency.js';
import { createLogger } from './logger.js';
import { registerOpenApiDocs } from './openapiDocs.js';
import { registerOperationSecurity } from './operationSecurity.js';
import { clientErrorProblem, frameworkProblem, notFoundHandler, problemErrorHandler } from './problem.js';
import { baselineHeaders, registerSecurityHeaders, type HttpSecuritySettings } from './securityHeaders.js';
import { registerTextSafety } from './textSafety.js';
import { registerRouteFallbacks } from './routeFallbacks.js';
import { genRequestId, registerRequestContext } from './requestContext.js';
import { buildValidatorFactory } from './schemaValidation.js';

declare module 'fastify' {
  interface FastifyInstance {
    /** Flipped by runService when shutdown begins: /ready answers 503 from then on. */
    lifecycle: { accepting: boolean };
  }
}

export interface RateLimitSettings {
  /** Requests per window per key (default key: client IP). Default 600. */
  max: number;
  /** Window in ms or a string like '1 minute'. Default '1 minute'. */
  timeWindow: number | string;
  allowList?: string[];
}

export interface CreateHttpAppOptions {
  /** Service name, in every log line. */
  service: string;
  /** A pino logger (createLogger gives the redacting one). Default: createLogger({ service }). */
  logger?: Logger;
  /**
   * Token verification for every non-public route. `false` turns authentication off altogether:
   * only for tests of unrelated behaviour, never in a service main.
   */
  auth: { verifier: TokenVerifier } | false;
  /**
   * The service's event store: Idempotency-Key records are committed there with the events they answer
   * for. Without it, `idempotent` routes are refused at start.
   */
  store?: EventStore;
  /** Shared JSON schemas (contract components), each with an `$id`; routes `$ref` them. */
  schemas?: readonly Record<string, unknown>[];
  /** Annotation keywords to tolerate in strict schemas besides the OpenAPI ones. */
  extraSchemaKeywords?: string[];
  /**
   * The service's OpenAPI document: served at /openapi.json and /docs, and the source of every route's
   * required scopes (its operation's `security`); with it, a route that is not an operation fails the start.
   */
  openapi?: Record<string, unknown>;
  /** Checks for /ready, e.g. { store: () => store.ping(), bus: () => bus.ping(), db: () => db.query('SELECT 1') }. */
  readiness?: Record<string, ReadinessCheck>;
  /** True while the service still bootstraps after binding its port: /ready answers 503 "Starting". */
  isStarting?: () => boolean;
  /** The processors' readiness (state, lag, parked) listed by /ready. */
  processors?: () => Promise<ProcessorReadiness>;
  /**
   * Served at GET /metrics (Prometheus text format); the app adds its HTTP request latency histogram
   * by route and status. Default: a registry of its own.
   */
  metrics?: MetricsRegistry;
  /** Global rate limit; routes override with `config: { rateLimit: {...} | false }`. */
  rateLimit?: RateLimitSettings | false;
  /** Max request body in bytes (413 above). Default 1 MiB. */
  bodyLimit?: number;
  /** CORS allow-list and TLS (HSTS); nosniff, frame-ancestors and no-store are always on. */
  security?: HttpSecuritySettings;
  /** Behind a reverse proxy: trust X-Forwarded-For (for rate-limit keys). Default false. */
  trustProxy?: boolean | string | string[];
}

const PROBE_PATHS = new Set(['/health', '/ready', '/metrics']);

/**
 * The HTTP kit of every service: request/correlation ids, redacted logging, problem+json errors,
 * schema-first validation, authentication, rate limit, idempotency keys, health and docs.
 * Register the service's routes afterwards, inside a plugin: `await app.register(referralRoutes)`.
 */
export const createHttpApp = async (options: CreateHttpAppOptions): Promise<FastifyInstance> => {
  const logger = options.logger ?? createLogger({ service: options.service });
  const app = Fastify({
    loggerInstance: logger,
    genReqId: genRequestId,
    // Probes every few seconds would drown the log; their failures are still logged by the checks.
    logController: new LogController({
      requestIdLogLabel: 'requestId',
      disableRequestLogging: (request) => PROBE_PATHS.has(request.url),
    }),
    bodyLimit: options.bodyLimit ?? 1024 * 1024,
    trustProxy: options.trustProxy ?? false,
    return503OnClosing: true,
    // A malformed or overlong URL is answered before routing: as a problem, like every other error.
    frameworkErrors: (error, request, reply) =>
      frameworkProblem(error, request, reply.headers(baselineHeaders(options.security?.tls === true))),
    // node's own refusals (headers over its cap, not HTTP at all) are problems too.
    clientErrorHandler: clientErrorProblem,
    schemaController: {
      compilersFactory: {
        buildValidator: buildValidatorFactory({ extraKeywords: options.extraSchemaKeywords ?? [] }) as never,
      },
    },
  }) as unknown as FastifyInstance;

  app.decorate('lifecycle', { accepting: true });
  registerRequestContext(app);
  // Under test, every answer is checked against the service's contract (first onSend hook: it sees the
  // final payload of every route, the framework's errors included).
  if (process.env[CONTRACT_CHECK_ENV] === '1') registerContractConformance(app, options.service);
  app.setErrorHandler(problemErrorHandler);
  const allowedMethods = registerRouteFallbacks(app);
  app.setNotFoundHandler(notFoundHandler(allowedMethods));
  registerSecurityHeaders(app, options.security ?? {});
  registerTextSafety(app);

  // JSON only: anything else is a 415 problem rather than a string the handler must guess about.
  app.removeContentTypeParser('text/plain');
  app.addContentTypeParser(
    'application/merge-patch+json',
    { parseAs: 'string' },
    app.getDefaultJsonParser('error', 'error'),
  );

  for (const schema of options.schemas ?? []) {
    if (typeof schema.$id !== 'string') throw new TypeError('createHttpApp: every shared schema needs an $id');
    app.addSchema(schema);
  }

  // Order matters for onRoute hooks: the rate limiter's per-route hook must run before authentication.
  if (options.rateLimit !== false) {
    await app.register(rateLimit, {
      global: true,
      max: options.rateLimit?.max ?? 600,
      timeWindow: options.rateLimit?.timeWindow ?? '1 minute',
      ...(options.rateLimit?.allowList ? { allowList: options.rateLimit.allowList } : {}),
      errorResponseBuilder: (_request, context) =>
        Object.assign(
          new AppError('RATE_LIMITED', `Rate limit exceeded: retry in ${Math.ceil(context.ttl / 1000)} s`),
          { statusCode: 429 },
        ),
    });
  }

  if (options.auth !== false) {
    registerAuthentication(app, options.auth.verifier);
    // Scopes from the contract: each route's operation names them; routes outside the document refuse to start.
    if (options.openapi) registerOperationSecurity(app, options.openapi);
  } else app.decorateRequest('principal', undefined);

  if (options.store) await registerIdempotency(app, { store: options.store });
  else
    app.addHook('onRoute', (route) => {
      if (route.config?.idempotent === true)
        throw new Error(`route ${route.method} ${route.url} is idempotent but createHttpApp got no store`);
    });

  registerHealthRoutes(app, {
    checks: options.readiness ?? {},
    isAccepting: () => app.lifecycle.accepting,
    ...(options.processors ? { processors: options.processors } : {}),
    ...(options.isStarting ? { isStarting: options.isStarting } : {}),
  });
  registerMetrics(app, options.metrics);

  if (options.openapi) {
    const document = options.openapi;
    // Encapsulated: its routes (Swagger UI assets) are public; nothing leaks to the service's routes.
    const docs: FastifyPluginAsync = async (child) => {
      child.addHook('onRoute', (route) => {
        route.config = { ...route.config, public: true, cacheable: true };
      });
      await registerOpenApiDocs(child, document);
    };
    await app.register(docs);
  }

  return app;
};
