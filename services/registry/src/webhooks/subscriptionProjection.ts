import type { Projection } from '@estia/infra/projections/projection.js';
import type { SqlExecutor } from '@estia/infra/sql/types.js';
import {
  WEBHOOK_SUBSCRIPTION_EVENT_TYPES,
  type WebhookSubscriptionEvent,
} from '../domain/webhook/webhookSubscription.js';
import { ensureWebhookTables, WEBHOOK_SUBSCRIPTION_TABLES } from './webhookTables.js';

async function project(tx: SqlExecutor, event: WebhookSubscriptionEvent): Promise<void> {
  switch (event.type) {
    case 'WebhookSubscriptionCreated': {
      const d = event.data;
      await tx.execute(
        `INSERT INTO webhook_subscriptions (id, organisation_id, url, events, description, status, disabled_reason,
           sealed_secret, previous_sealed_secret, previous_secret_expires_at, created_at, updated_at)
         VALUES ($1, $2, $3, $4, $5, 'active', NULL, $6, NULL, NULL, $7, $7) ON CONFLICT (id) DO NOTHING`,
        [
          d.subscriptionId,
          d.organisationId,
          d.url,
          JSON.stringify(d.events),
          d.description,
          d.sealedSecret,
          d.createdAt,
        ],
      );
      return;
    }
    case 'WebhookSubscriptionUpdated': {
      const d = event.data;
      await tx.execute(
        'UPDATE webhook_subscriptions SET url = $2, events = $3, description = $4, updated_at = $5 WHERE id = $1',
        [d.subscriptionId, d.url, JSON.stringify(d.events), d.description, d.updatedAt],
      );
      return;
    }
    case 'WebhookSubscriptionPaused':
      await tx.execute(`UPDATE webhook_subscriptions SET status = 'paused', updated_at = $2 WHERE id = $1`, [
        event.data.subscriptionId,
        event.data.pausedAt,
      ]);
      return;
    case 'WebhookSubscriptionResumed':
      await tx.execute(
        `UPDATE webhook_subscriptions SET status = 'active', disabled_reason = NULL, updated_at = $2 WHERE id = $1`,
        [event.data.subscriptionId, event.data.resumedAt],
      );
      return;
    case 'WebhookSubscriptionDisabled':
      await tx.execute(
        `UPDATE webhook_subscriptions SET status = 'disabled', disabled_reason = $2, updated_at = $3 WHERE id = $1`,
        [event.data.subscriptionId, event.data.reason, event.data.disabledAt],
      );
      return;
    case 'WebhookSecretRotated': {
      const d = event.data;
      await tx.execute(
        `UPDATE webhook_subscriptions SET sealed_secret = $2, previous_sealed_secret = $3,
           previous_secret_expires_at = $4, updated_at = $5 WHERE id = $1`,
        [d.subscriptionId, d.sealedSecret, d.previousSealedSecret, d.previousSecretExpiresAt, d.rotatedAt],
      );
      return;
    }
    case 'WebhookSubscriptionDeleted':
      await tx.execute('DELETE FROM webhook_subscriptions WHERE id = $1', [event.data.subscriptionId]);
      return;
  }
}

/** The subscriptions the fan-out, the delivery processor and the list route read. */
export const webhookSubscriptionsProjection: Projection = {
  name: 'registry.webhook-subscriptions',
  types: WEBHOOK_SUBSCRIPTION_EVENT_TYPES,
  migrate: ensureWebhookTables,
  reset: async (tx) => {
    for (const table of WEBHOOK_SUBSCRIPTION_TABLES) await tx.execute(`DELETE FROM ${table}`);
  },
  handle: async (tx, events) => {
    for (const stored of events)
      await project(tx, { type: stored.type, data: stored.data } as WebhookSubscriptionEvent);
  },
};

export interface SubscriptionRow {
  id: string;
  organisation_id: string;
  url: string;
  events: string;
  description: string;
  status: 'active' | 'paused' | 'disabled';
  disabled_reason: string | null;
  sealed_secret: string;
  previous_sealed_secret: string | null;
  previous_secret_expires_at: string | null;
  created_at: string;
  updated_at: string;
}

/** As the API shows it: never a secret, sealed or not. */
export const toSubscriptionView = (row: SubscriptionRow) => ({
  id: row.id,
  organisationId: row.organisation_id,
  url: row.url,
  events: JSON.parse(row.events) as string[],
  description: row.description,
  status: row.status,
  disabledReason: row.disabled_reason,
  previousSecretExpiresAt: row.previous_secret_expires_at,
  createdAt: row.created_at,
  updatedAt: row.updated_at,
});
