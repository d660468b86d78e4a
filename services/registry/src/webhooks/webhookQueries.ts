import type { SqlExecutor } from '@estia/infra/sql/types.js';
import { toSubscriptionView, type SubscriptionRow } from './subscriptionProjection.js';

export async function loadSubscription(db: SqlExecutor, id: string) {
  const rows = await db.query<SubscriptionRow>('SELECT * FROM webhook_subscriptions WHERE id = $1', [id]);
  return rows[0] ? toSubscriptionView(rows[0]) : null;
}

export async function listSubscriptions(db: SqlExecutor, organisationId: string) {
  const rows = await db.query<SubscriptionRow>(
    'SELECT * FROM webhook_subscriptions WHERE organisation_id = $1 ORDER BY created_at, id',
    [organisationId],
  );
  return rows.map(toSubscriptionView);
}

interface DeliveryRow {
  id: string;
  event_id: string;
  event_type: string;
  status: 'pending' | 'succeeded' | 'failed';
  attempts: number | string;
  next_attempt_at: string | null;
  created_at: string;
}
interface AttemptRow {
  delivery_id: string;
  attempt: number | string;
  attempted_at: string;
  status_code: number | string | null;
  latency_ms: number | string;
  response_excerpt: string;
  error: string | null;
  manual: number | string;
}

/** The delivery log of one subscription, newest first, each delivery with its attempts. */
export async function listDeliveries(db: SqlExecutor, subscriptionId: string, limit: number) {
  const deliveries = await db.query<DeliveryRow>(
    `SELECT id, event_id, event_type, status, attempts, next_attempt_at, created_at FROM webhook_deliveries
     WHERE subscription_id = $1 ORDER BY created_at DESC, id DESC LIMIT ${Math.max(1, Math.min(200, limit))}`,
    [subscriptionId],
  );
  if (deliveries.length === 0) return [];
  const attempts = await db.query<AttemptRow>(
    `SELECT * FROM webhook_attempts WHERE delivery_id IN (${deliveries.map((_, i) => `$${i + 1}`).join(', ')})
     ORDER BY attempt`,
    deliveries.map((d) => d.id),
  );
  return deliveries.map((d) => ({
    id: d.id,
    eventId: d.event_id,
    eventType: d.event_type,
    status: d.status,
    attempts: Number(d.attempts),
    nextAttemptAt: d.next_attempt_at,
    createdAt: d.created_at,
    log: attempts
      .filter((a) => a.delivery_id === d.id)
      .map((a) => ({
        attempt: Number(a.attempt),
        attemptedAt: a.attempted_at,
        status: a.status_code === null ? null : Number(a.status_code),
        latencyMs: Number(a.latency_ms),
        responseExcerpt: a.response_excerpt,
        error: a.error,
        manual: Number(a.manual) === 1,
      })),
  }));
}

/** Queues one more attempt of a delivery, now, with the same webhook-id. False when there is none. */
export async function redeliver(db: SqlExecutor, subscriptionId: string, deliveryId: string, now: Date) {
  const result = await db.execute(
    `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = $3, manual = 1, claimed_until = NULL,
       claim_token = NULL WHERE id = $1 AND subscription_id = $2`,
    [deliveryId, subscriptionId, now.toISOString()],
  );
  return result.rowCount > 0;
}
