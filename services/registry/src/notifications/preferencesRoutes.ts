import type { FastifyPluginAsync, FastifyRequest } from 'fastify';
import type { Clock } from '@estia/infra/clock/clock.js';
import { AppError } from '@estia/infra/errors/appError.js';
import type { SqlExecutor } from '@estia/infra/sql/types.js';
import type { components } from '@estia/contracts/generated/openapi.registry.js';
import { contractSchema } from '../http/contractSchemas.js';
import { effectivePreferences } from '../domain/notification/notificationRules.js';
import { loadPreferences, savePreferences } from './preferencesStore.js';

type Update = components['schemas']['NotificationPreferencesUpdate'];

/** The signed-in person (never a partner system: API clients receive webhooks, not e-mails). */
const personOf = (request: FastifyRequest) => {
  const principal = request.principal;
  if (!principal) throw new AppError('UNAUTHENTICATED', 'A bearer token is required');
  if (principal.clientId) throw new AppError('FORBIDDEN', 'notification preferences belong to people, not API clients');
  return { personId: principal.subject, roles: principal.roles };
};

/** GET/PUT /v1/me/notification-preferences: immediate, daily digest or off per kind, and the language. */
export const preferencesRoutes: FastifyPluginAsync<{ db: SqlExecutor; clock: Clock }> = async (app, { db, clock }) => {
  app.get('/me/notification-preferences', async (request) => {
    const { personId, roles } = personOf(request);
    return effectivePreferences(roles, await loadPreferences(db, personId));
  });
  app.put(
    '/me/notification-preferences',
    { schema: { body: contractSchema('NotificationPreferencesUpdate') } },
    async (request: FastifyRequest<{ Body: Update }>) => {
      const { personId, roles } = personOf(request);
      const current = await loadPreferences(db, personId);
      const next = {
        language: request.body.language ?? current?.language ?? 'en',
        kinds: { ...(current?.kinds ?? {}), ...(request.body.kinds ?? {}) },
      };
      await savePreferences(db, personId, next, clock());
      return effectivePreferences(roles, next);
    },
  );
};
