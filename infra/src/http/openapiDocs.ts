import type { FastifyInstance } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';

/**
 * `/openapi.json` serves the service's contract document as written (contracts/openapi/<service>.json);
 * `/docs` is Swagger UI over the same document (static mode: the contract, not the routes, is the truth).
 */
export const registerOpenApiDocs = async (app: FastifyInstance, document: Record<string, unknown>): Promise<void> => {
  app.get('/openapi.json', { config: { public: true } }, async (_request, reply) =>
    reply.type('application/json').send(document),
  );
  await app.register(swagger, { mode: 'static', specification: { document: document as never } });
  await app.register(swaggerUi, {
    routePrefix: '/docs',
    staticCSP: true,
  });
};
