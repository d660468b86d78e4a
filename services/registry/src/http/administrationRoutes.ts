import type { FastifyPluginAsync } from 'fastify';
import type { SqlExecutor } from '@estia/infra/sql/types.js';
import { setEtag } from '@estia/infra/http/etag.js';
import type { components } from '@estia/contracts/generated/openapi.registry.js';
import type { RegistryContext } from '../application/context.js';
import { administrationQueries } from '../application/administrationQueries.js';
import { actorOf } from './actor.js';
import { contractSchema } from './contractSchemas.js';

export interface AdministrationRoutesOptions {
  ctx: RegistryContext;
  db: SqlExecutor;
}

const idParams = {
  params: { type: 'object', properties: { id: contractSchema('Id') }, required: ['id'] },
} as const;

/**
 * The reads of the org admin's and the network admin's screens (mounted under /v1): an organisation
 * with its services, people and API clients; the members and applicants; the code of conduct's
 * versions and who accepted each.
 */
export const administrationRoutes: FastifyPluginAsync<AdministrationRoutesOptions> = async (app, { ctx, db }) => {
  const queries = administrationQueries(ctx, db);
  type ById = { Params: { id: string } };

  app.get<{ Querystring: { status?: components['schemas']['OrganisationStatus'] } }>(
    '/organisations',
    {
      schema: {
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { status: contractSchema('OrganisationStatus') },
        },
      },
    },
    async (request) => queries.listOrganisations(actorOf(request), request.query.status),
  );
  app.get<ById>('/organisations/:id', { schema: idParams }, async (request, reply) => {
    const { record, version } = await queries.organisation(actorOf(request), request.params.id);
    setEtag(reply, version);
    return record;
  });
  app.get<ById>('/organisations/:id/services', { schema: idParams }, async (request) =>
    queries.services(actorOf(request), request.params.id),
  );
  app.get<ById>('/organisations/:id/people', { schema: idParams }, async (request) =>
    queries.people(actorOf(request), request.params.id),
  );
  app.get<ById>('/organisations/:id/api-clients', { schema: idParams }, async (request, reply) => {
    reply.header('cache-control', 'no-store');
    return queries.apiClients(actorOf(request), request.params.id);
  });
  app.get('/code-of-conduct', async (request) => queries.codeOfConductVersions(actorOf(request)));
  app.get<{ Params: { version: number } }>(
    '/code-of-conduct/:version/acceptances',
    {
      schema: {
        params: {
          type: 'object',
          properties: { version: { type: 'integer', minimum: 1 } },
          required: ['version'],
        },
      },
    },
    async (request) => queries.codeOfConductAcceptances(actorOf(request), request.params.version),
  );
};
