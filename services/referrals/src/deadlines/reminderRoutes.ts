import { contractSchema } from '../http/contractSchemas.js';
import type { FastifyPluginAsync } from 'fastify';
import { requireAuth } from '@estia/infra/auth/requireAuth.js';
import type { KeyStore } from '@estia/infra/crypto/keyStore.js';
import { isErased } from '@estia/infra/crypto/personalData.js';
import { erasedClient, hidden } from '../application/hidden.js';
import type { EventStore } from '@estia/infra/eventStore/types.js';
import { catchUpProjections } from '@estia/infra/projections/catchUp.js';
import type { Projector } from '@estia/infra/projections/projector.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { openPersonalPart } from '../application/personalCodec.js';
import { actorOf } from '../http/actor.js';
import { REMINDER_ISSUED } from './reminderEvents.js';
import { REMINDERS_PROJECTION, remindersProjection } from './remindersProjection.js';

export interface ReminderRoutesOptions {
  store: EventStore;
  db: SqlDatabase;
  keyStore: KeyStore;
  projector?: Projector;
}

export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';

interface Query {
  clientId?: string;
  limit?: number;
}

/**
 * GET /reminders: the deadline reminders of the caller's organisation (the one that registered the
 * client), newest first, the due date opened with the client's key. `clientId` narrows to one
 * client: 404 if the organisation does not hold them, 410 (with erasedAt) once they were erased.
 */
export const reminderRoutes: FastifyPluginAsync<ReminderRoutesOptions> = async (http, options) => {
  const { store, db, keyStore, projector } = options;
  // Where main.ts registered the projection with the projector it is live; otherwise catch up on read.
  const ensureCurrent = async (): Promise<void> => {
    if (projector && REMINDERS_PROJECTION in projector.positions()) return;
    await catchUpProjections(store, db, [remindersProjection(keyStore)]);
  };

  http.get<{ Querystring: Query }>(
    '/reminders',
    {
      // Permit and reception dates are case data: officers', not administrators'.
      preHandler: requireAuth({ roles: ['referral_officer'] }),
      schema: {
        querystring: contractSchema('ReminderQuery'),
      },
    },
    async (request) => {
      const organisationId = actorOf(request).organisationId;
      const { clientId, limit = 100 } = request.query;
      if (clientId !== undefined) {
        const [client] = await db.query<{ status: string; erased_at: string | null }>(
          'SELECT status, erased_at FROM rf_clients WHERE client_id = $1',
          [clientId],
        );
        const holds = await db.query(
          'SELECT 1 AS x FROM rf_client_orgs WHERE client_id = $1 AND organisation_id = $2',
          [clientId, organisationId],
        );
        // Existence is personal data: a client this organisation never held is "not found", erased or not.
        if (!client || holds.length === 0) throw hidden('client');
        if (client.status === 'erased') throw erasedClient(clientId, client.erased_at ?? '');
      }
      await ensureCurrent();
      const rows = await db.query<{
        reminder_id: string;
        client_id: string;
        deadline: string;
        threshold_days: number | string;
        issued_at: string;
        sealed_due_date: string;
      }>(
        `SELECT reminder_id, client_id, deadline, threshold_days, issued_at, sealed_due_date FROM rf_reminders
         WHERE organisation_id = $1 ${clientId === undefined ? '' : 'AND client_id = $3'}
         ORDER BY issued_at DESC, reminder_id LIMIT $2`,
        clientId === undefined ? [organisationId, limit] : [organisationId, limit, clientId],
      );
      const items = [];
      for (const r of rows) {
        const opened = await openPersonalPart<{ dueDate: string }>(keyStore, {
          type: REMINDER_ISSUED,
          data: { clientId: r.client_id, personal: JSON.parse(r.sealed_due_date) },
        });
        // Erased between the projection and this read: nothing about them is shown.
        if (opened === undefined || isErased(opened)) continue;
        items.push({
          reminderId: r.reminder_id,
          clientId: r.client_id,
          deadline: r.deadline,
          thresholdDays: Number(r.threshold_days),
          dueDate: opened.dueDate,
          issuedAt: r.issued_at,
        });
      }
      return { items };
    },
  );
};
