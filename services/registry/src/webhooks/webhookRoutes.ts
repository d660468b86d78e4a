import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import { randomUUID } from 'node:crypto';
import { requireAuth } from '@estia/infra/auth/requireAuth.js';
import { AppError } from '@estia/infra/errors/appError.js';
import { expectedVersionFromIfMatch, setEtag } from '@estia/infra/http/etag.js';
import type { Clock } from '@estia/infra/clock/clock.js';
import type { Projector } from '@estia/infra/projections/projector.js';
import type { SqlExecutor } from '@estia/infra/sql/types.js';
import type { components } from '@estia/contracts/generated/openapi.registry.js';
import { actorOf } from '../http/actor.js';
import { contractSchema } from '../http/contractSchemas.js';
import type { WebhookHandlers } from './webhookHandlers.js';
import { listDeliveries, loadSubscription, listSubscriptions, redeliver } from './webhookQueries.js';

export interface WebhookRoutesOptions {
  webhooks: WebhookHandlers;
  db: SqlExecutor;
  clock: Clock;
  /** Read-your-writes: the list and the log wait for the subscription projection. */
  projector?: Pick<Projector, 'waitFor'>;
  /** The delivery processor, woken by a manual redelivery. */
  wake?: () => void;
}

type Body<Name extends keyof components['schemas']> = components['schemas'][Name];
type Req<B = unknown> = FastifyRequest<{ Params: { id: string; deliveryId: string }; Body: B }>;

const idParams = {
  params: { type: 'object', properties: { id: contractSchema('Id') }, required: ['id'] },
} as const;
const manage = { preHandler: requireAuth({ scopes: ['webhooks:manage'] }) };

const options = (request: FastifyRequest) => {
  const expectedVersion = expectedVersionFromIfMatch(request);
  return { correlationId: request.id, ...(expectedVersion === undefined ? {} : { expectedVersion }) };
};

const organisationOf = (request: FastifyRequest): string => {
  const organisationId = actorOf(request).organisationId;
  if (!organisationId) throw new AppError('FORBIDDEN', 'only a member organisation has webhook subscriptions');
  return organisationId;
};

/**
 * Webhook subscriptions of the caller's organisation (mounted under /v1). Org admins and API clients
 * with `webhooks:manage`; another organisation's subscription does not exist for the caller.
 */
export const webhookRoutes: FastifyPluginAsync<WebhookRoutesOptions> = async (app, deps) => {
  const { webhooks, db } = deps;
  const settle = async (position: number | undefined) => {
    if (position !== undefined) await deps.projector?.waitFor(position);
  };
  const done = async (reply: FastifyReply, result: { nextExpectedVersion: number | null; lastPosition?: number }) => {
    await settle(result.lastPosition);
    setEtag(reply, result.nextExpectedVersion);
    return reply.code(204).send();
  };
  const own = async (request: FastifyRequest) => {
    const { id } = request.params as { id: string };
    const row = await loadSubscription(db, id);
    if (!row || row.organisationId !== organisationOf(request))
      throw new AppError('NOT_FOUND', `webhook subscription ${id} not found`);
    return row;
  };

  app.post(
    '/webhooks',
    { ...manage, schema: { body: contractSchema('WebhookSubscriptionCreation') } },
    async (request: Req<Body<'WebhookSubscriptionCreation'>>, reply) => {
      const { url, events, description } = request.body;
      const { subscriptionId, secret, result } = await webhooks.create(
        actorOf(request),
        { url, events, ...(description === undefined ? {} : { description }) },
        { correlationId: request.id, subscriptionId: randomUUID() },
      );
      await settle(result.lastPosition);
      setEtag(reply, result.nextExpectedVersion);
      // Not `idempotent`: a replay store would keep the secret in clear.
      reply.header('cache-control', 'no-store');
      return reply
        .code(201)
        .header('location', `${request.url.replace(/\/$/, '')}/${subscriptionId}`)
        .send({ id: subscriptionId, secret, previousSecretExpiresAt: null });
    },
  );
  app.get('/webhooks', manage, async (request) => ({ items: await listSubscriptions(db, organisationOf(request)) }));
  app.get('/webhooks/:id', { ...manage, schema: idParams }, async (request) => own(request));
  app.patch(
    '/webhooks/:id',
    { ...manage, schema: { ...idParams, body: contractSchema('WebhookSubscriptionUpdate') } },
    async (request: Req<Body<'WebhookSubscriptionUpdate'>>, reply) =>
      done(reply, await webhooks.update(actorOf(request), request.params.id, request.body, options(request))),
  );
  app.delete('/webhooks/:id', { ...manage, schema: idParams }, async (request: Req, reply) =>
    done(reply, await webhooks.remove(actorOf(request), request.params.id, options(request))),
  );
  app.post('/webhooks/:id/pause', { ...manage, schema: idParams }, async (request: Req, reply) =>
    done(reply, await webhooks.pause(actorOf(request), request.params.id, options(request))),
  );
  app.post('/webhooks/:id/resume', { ...manage, schema: idParams }, async (request: Req, reply) =>
    done(reply, await webhooks.resume(actorOf(request), request.params.id, options(request))),
  );
  app.post(
    '/webhooks/:id/rotate-secret',
    { ...manage, schema: idParams },
    async (request: Req<Body<'WebhookSecretRotation'> | undefined>, reply) => {
      const overlap = request.body?.overlapHours ?? 24;
      const rotated = await webhooks.rotate(actorOf(request), request.params.id, overlap, options(request));
      await settle(rotated.result.lastPosition);
      setEtag(reply, rotated.result.nextExpectedVersion);
      reply.header('cache-control', 'no-store');
      return {
        id: rotated.subscriptionId,
        secret: rotated.secret,
        previousSecretExpiresAt: rotated.previousSecretExpiresAt,
      };
    },
  );
  app.get(
    '/webhooks/:id/deliveries',
    {
      ...manage,
      schema: {
        ...idParams,
        querystring: {
          type: 'object',
          additionalProperties: false,
          properties: { limit: { type: 'integer', minimum: 1, maximum: 200 } },
        },
      },
    },
    async (request) => {
      const subscription = await own(request);
      const { limit } = request.query as { limit?: number };
      return { items: await listDeliveries(db, subscription.id, limit ?? 50) };
    },
  );
  app.post(
    '/webhooks/:id/deliveries/:deliveryId/redeliver',
    {
      ...manage,
      schema: {
        params: {
          type: 'object',
          properties: { id: contractSchema('Id'), deliveryId: { type: 'string', minLength: 1, maxLength: 100 } },
          required: ['id', 'deliveryId'],
        },
      },
    },
    async (request: Req, reply) => {
      await own(request);
      if (!(await redeliver(db, request.params.id, request.params.deliveryId, deps.clock())))
        throw new AppError('NOT_FOUND', `delivery ${request.params.deliveryId} not found`);
      deps.wake?.();
      return reply.code(202).send();
    },
  );
};
