import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { answerCommand, createdAnswer } from '@estia/infra/http/commandAnswer.js';
import { expectedVersionFromIfMatch, setEtag } from '@estia/infra/http/etag.js';
import type { organisationHandlers } from '../application/organisationHandlers.js';
import type { serviceHandlers } from '../application/serviceHandlers.js';
import type { peopleHandlers } from '../application/peopleHandlers.js';
import type { apiClientHandlers } from '../application/apiClientHandlers.js';
import type { ApiScope } from '../domain/apiClient/apiClient.js';
import type { OrganisationProfile } from '../domain/organisation/organisation.js';
import type { Capacity, ServiceDetails } from '../domain/service/serviceDetails.js';
import type { Permission, Role } from '../domain/shared/actor.js';
import { actorOf } from './actor.js';
import { contractSchema } from './contractSchemas.js';
import type { components } from '@estia/contracts/generated/openapi.registry.js';

export interface ManagementRoutesOptions {
  organisations: ReturnType<typeof organisationHandlers>;
  services: ReturnType<typeof serviceHandlers>;
  people: ReturnType<typeof peopleHandlers>;
  clients: ReturnType<typeof apiClientHandlers>;
}

// Schema-first: bodies are checked against the contract before any handler runs (shape, enums,
// ranges); the deciders then check what a schema cannot (uniqueness, state, time, cross-field rules).
const body = (name: string) => ({ body: contractSchema(name) });
const idParams = {
  params: { type: 'object', properties: { id: contractSchema('Id') }, required: ['id'] },
} as const;
const withId = (name: string) => ({ ...body(name), ...idParams });

type Req<B = Record<string, unknown>> = FastifyRequest<{ Params: { id: string }; Body: B }>;
// Bodies as the contract types them (generated from contracts/openapi/registry.json), never restated here.
type Body<Name extends keyof components['schemas']> = components['schemas'][Name];

const options = (request: FastifyRequest) => {
  const expectedVersion = expectedVersionFromIfMatch(request);
  return { correlationId: request.id, ...(expectedVersion === undefined ? {} : { expectedVersion }) };
};

/** Answers a state change: the new stream version as ETag, 204 (or 200 with a body). */
const done = (reply: FastifyReply, version: number | null, body?: unknown) => {
  setEtag(reply, version);
  if (body === undefined) return reply.code(204).send();
  return reply.send(body);
};

/**
 * The registry's management API (mounted under /v1). Thin: actor from the token, command to the
 * handler, ETag out. Rules and refusals are the deciders'.
 */
export const managementRoutes: FastifyPluginAsync<ManagementRoutesOptions> = async (
  app,
  { organisations, services, people, clients },
) => {
  // Membership applications come from organisations that have no account yet.
  app.post<{ Body: { profile: OrganisationProfile } }>(
    '/organisations',
    { config: { public: true, rateLimit: { max: 5, timeWindow: '1 minute' } }, schema: body('MembershipApplication') },
    async (request, reply) => {
      const applicant = { principalId: `applicant:${request.id}`, roles: [] };
      const { organisationId, version } = await organisations.apply(applicant, request.body.profile, {
        correlationId: request.id,
      });
      setEtag(reply, version);
      return reply
        .code(201)
        .header('location', `${request.url.replace(/\/$/, '')}/${organisationId}`)
        .send({ organisationId });
    },
  );
  app.get<{ Params: { id: string } }>('/organisations/:id/exchange-status', { schema: idParams }, async (request) =>
    organisations.exchangeStatus(request.params.id),
  );
  app.post('/organisations/:id/approve', { schema: withId('Licence') }, async (request: Req<Body<'Licence'>>, reply) =>
    done(
      reply,
      (await organisations.approve(actorOf(request), request.params.id, request.body, options(request)))
        .nextExpectedVersion,
    ),
  );
  app.post('/organisations/:id/reject', { schema: withId('Reason') }, async (request: Req<Body<'Reason'>>, reply) =>
    done(
      reply,
      (await organisations.reject(actorOf(request), request.params.id, request.body.reason, options(request)))
        .nextExpectedVersion,
    ),
  );
  app.post('/organisations/:id/suspend', { schema: withId('Reason') }, async (request: Req<Body<'Reason'>>, reply) =>
    done(
      reply,
      (await organisations.suspend(actorOf(request), request.params.id, request.body.reason, options(request)))
        .nextExpectedVersion,
    ),
  );
  app.post('/organisations/:id/reinstate', { schema: idParams }, async (request: Req, reply) =>
    done(
      reply,
      (await organisations.reinstate(actorOf(request), request.params.id, options(request))).nextExpectedVersion,
    ),
  );
  app.post(
    '/organisations/:id/withdraw',
    { schema: withId('OptionalReason') },
    async (request: Req<Body<'OptionalReason'>>, reply) =>
      done(
        reply,
        (await organisations.withdraw(actorOf(request), request.params.id, request.body?.reason, options(request)))
          .nextExpectedVersion,
      ),
  );
  app.put('/organisations/:id/licence', { schema: withId('Licence') }, async (request: Req<Body<'Licence'>>, reply) =>
    done(
      reply,
      (await organisations.renewLicence(actorOf(request), request.params.id, request.body, options(request)))
        .nextExpectedVersion,
    ),
  );
  app.put(
    '/organisations/:id/profile',
    { schema: withId('OrganisationProfileUpdate') },
    async (request: Req<Body<'OrganisationProfileUpdate'>>, reply) =>
      done(
        reply,
        (await organisations.updateProfile(actorOf(request), request.params.id, request.body.profile, options(request)))
          .nextExpectedVersion,
      ),
  );
  app.post(
    '/organisations/:id/code-of-conduct-acceptance',
    { schema: withId('CodeOfConductAcceptance') },
    async (request: Req<Body<'CodeOfConductAcceptance'>>, reply) =>
      done(
        reply,
        (
          await organisations.acceptCodeOfConduct(
            actorOf(request),
            request.params.id,
            request.body.version,
            options(request),
          )
        ).nextExpectedVersion,
      ),
  );
  app.post<{ Body: { title: string; text: string; gracePeriodDays?: number } }>(
    '/code-of-conduct',
    { schema: body('CodeOfConductPublication') },
    async (request, reply) => {
      const { version, acceptanceDueAt } = await organisations.publishCodeOfConduct(
        actorOf(request),
        request.body.title,
        request.body.text,
        {
          correlationId: request.id,
          ...(request.body.gracePeriodDays === undefined ? {} : { gracePeriodDays: request.body.gracePeriodDays }),
        },
      );
      return reply.code(201).send({ version, ...(acceptanceDueAt ? { acceptanceDueAt } : {}) });
    },
  );

  app.post<{ Body: { organisationId: string; details: ServiceDetails; capacity: Capacity } }>(
    '/services',
    { config: { idempotent: true }, schema: body('ServiceRegistration') },
    async (request, reply) => {
      const { organisationId, details, capacity } = request.body;
      const serviceId = randomUUID();
      const location = `${request.url.replace(/\/$/, '')}/${serviceId}`;
      // Answered from the decision; with an Idempotency-Key the answer commits with the events.
      return answerCommand(
        request,
        reply,
        () =>
          services.register(actorOf(request), organisationId, details, capacity, {
            correlationId: request.id,
            serviceId,
          }),
        { answer: (decision) => createdAnswer(location, { serviceId }, decision.nextExpectedVersion) },
      );
    },
  );
  app.put(
    '/services/:id/details',
    { schema: withId('ServiceDetailsUpdate') },
    async (request: Req<{ details: ServiceDetails }>, reply) =>
      done(
        reply,
        (await services.update(actorOf(request), request.params.id, request.body.details, options(request)))
          .nextExpectedVersion,
      ),
  );
  app.put('/services/:id/capacity', { schema: withId('Capacity') }, async (request: Req<Capacity>, reply) =>
    done(
      reply,
      (await services.changeCapacity(actorOf(request), request.params.id, request.body, options(request)))
        .nextExpectedVersion,
    ),
  );
  app.post(
    '/services/:id/withdraw',
    { schema: withId('OptionalReason') },
    async (request: Req<Body<'OptionalReason'>>, reply) =>
      done(
        reply,
        (await services.withdraw(actorOf(request), request.params.id, request.body?.reason, options(request)))
          .nextExpectedVersion,
      ),
  );

  app.post<{
    Body: {
      organisationId: string | null;
      email: string;
      displayName: string;
      roles: Role[];
      permissions?: Permission[];
    };
  }>('/people', { schema: body('Invitation') }, async (request, reply) => {
    // Not `idempotent`: the replay store would keep the invitation token in clear. A retry that
    // reaches the handler twice is refused by the e-mail check (409), never duplicated.
    const result = await people.invite(actorOf(request), request.body, { correlationId: request.id });
    return reply.code(201).send(result);
  });
  app.post(
    '/people/:id/accept-invitation',
    {
      config: { public: true, rateLimit: { max: 10, timeWindow: '1 minute' } },
      schema: withId('InvitationAcceptance'),
    },
    async (request: Req<Body<'InvitationAcceptance'>>, reply) => {
      await people.acceptInvitation(request.params.id, request.body.token, request.body.password);
      return reply.code(204).send();
    },
  );
  app.put('/people/:id/roles', { schema: withId('RolesChange') }, async (request: Req<Body<'RolesChange'>>, reply) =>
    done(
      reply,
      (
        await people.changeRoles(
          actorOf(request),
          request.params.id,
          request.body.roles,
          request.body.permissions ?? [],
          options(request),
        )
      ).nextExpectedVersion,
    ),
  );
  app.post(
    '/people/:id/deactivate',
    { schema: withId('OptionalReason') },
    async (request: Req<Body<'OptionalReason'>>, reply) =>
      done(
        reply,
        (await people.deactivate(actorOf(request), request.params.id, request.body?.reason, options(request)))
          .nextExpectedVersion,
      ),
  );

  app.post<{ Body: { organisationId: string; name: string; scopes: ApiScope[] } }>(
    '/api-clients',
    // Not `idempotent`: the replay store would keep the secret in clear; a duplicate client is harmless and revocable.
    { schema: body('ApiClientCreation') },
    async (request, reply) => {
      const { organisationId, name, scopes } = request.body;
      reply.header('cache-control', 'no-store');
      return reply
        .code(201)
        .send(await clients.create(actorOf(request), organisationId, name, scopes, { correlationId: request.id }));
    },
  );
  app.post('/api-clients/:id/rotate', { schema: idParams }, async (request: Req, reply) => {
    reply.header('cache-control', 'no-store');
    return clients.rotate(actorOf(request), request.params.id, options(request));
  });
  app.post(
    '/api-clients/:id/revoke',
    { schema: withId('OptionalReason') },
    async (request: Req<Body<'OptionalReason'>>, reply) =>
      done(
        reply,
        (await clients.revoke(actorOf(request), request.params.id, request.body?.reason, options(request)))
          .nextExpectedVersion,
      ),
  );
};
