import { loadOpenApi } from '@estia/contracts';
import type { TestIssuer } from '@estia/infra/auth/testIssuer.js';
import { createTokenVerifier } from '@estia/infra/auth/tokenVerifier.js';
import { createHttpApp } from '@estia/infra/http/createHttpApp.js';
import { createLogger } from '@estia/infra/http/logger.js';
import type { ServiceParts } from '@estia/infra/runtime/startService.js';
import type { FastifyInstance } from 'fastify';

/**
 * The insights routes as the service serves them (its contract, tokens of the test issuer), without its
 * processors and rate limit: for the HTTP tests and the benchmark, which feed the read model themselves.
 */
export async function insightsHttpApp(parts: ServiceParts, issuer: TestIssuer): Promise<FastifyInstance> {
  const app = await createHttpApp({
    service: 'insights',
    auth: { verifier: createTokenVerifier(issuer.verifierOptions) },
    logger: createLogger({ service: 'insights', level: 'silent' }),
    openapi: loadOpenApi('insights') as Record<string, unknown>,
    rateLimit: false,
  });
  await parts.routes(app, undefined as never);
  await app.ready();
  return app;
}
