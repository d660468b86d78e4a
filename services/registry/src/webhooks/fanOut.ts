import { createHash } from 'node:crypto';
import type { EventEnvelope } from '@estia/contracts';
import type { ConsumerHandler } from '@estia/infra/processors/consumer.js';
import type { SqlExecutor } from '@estia/infra/sql/types.js';
import type { Clock } from '@estia/infra/clock/clock.js';
import { audienceOf, selects } from '../domain/webhook/audience.js';

/** The consumer group (and inbox) of the webhook fan-out over every service's public topic. */
export const WEBHOOK_FANOUT_GROUP = 'registry.webhook-fanout';

/**
 * The `webhook-id` of one event for one subscription: the same on every attempt and after any
 * redelivery of the bus message, so receivers de-duplicate by it.
 */
export const deliveryIdOf = (subscriptionId: string, eventId: string): string =>
  `msg_${createHash('sha256').update(`${subscriptionId}\n${eventId}`).digest('base64url').slice(0, 27)}`;

/** The body a subscriber receives: the public CloudEvent exactly as published (identifiers only). */
export const webhookBody = (envelope: EventEnvelope): string => JSON.stringify(envelope);

/**
 * Turns one public event into a pending delivery per subscription that selects it and belongs to an
 * organisation allowed to see it. Runs inside the consumer's transaction (inbox + offset), so after a
 * crash either the deliveries and the checkpoint exist or the bus redelivers the event.
 * Paused subscriptions still collect deliveries (sent on resume); disabled ones do not.
 */
export const fanOutHandler =
  (clock: Clock, onEnqueued: () => void = () => undefined): ConsumerHandler =>
  async (tx: SqlExecutor, envelope: EventEnvelope) => {
    const audience = audienceOf(envelope);
    if (!audience.everyone && audience.organisations.length === 0) return;
    const candidates = audience.everyone
      ? await tx.query<{ id: string; events: string }>(
          `SELECT id, events FROM webhook_subscriptions WHERE status IN ('active', 'paused')`,
        )
      : await tx.query<{ id: string; events: string }>(
          `SELECT id, events FROM webhook_subscriptions WHERE status IN ('active', 'paused')
             AND organisation_id IN (${audience.organisations.map((_, i) => `$${i + 1}`).join(', ')})`,
          audience.organisations,
        );
    const chosen = candidates.filter((s) => selects(JSON.parse(s.events) as string[], envelope.type));
    if (chosen.length === 0) return;
    const now = clock();
    await tx.execute(
      `INSERT INTO webhook_messages (event_id, event_type, body, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (event_id) DO NOTHING`,
      [envelope.id, envelope.type, webhookBody(envelope), now.toISOString()],
    );
    for (const subscription of chosen)
      await tx.execute(
        `INSERT INTO webhook_deliveries (id, subscription_id, event_id, event_type, status, attempts, next_attempt_at,
           claimed_until, claim_token, manual, created_at, enqueued_at_ms)
         VALUES ($1, $2, $3, $4, 'pending', 0, $5, NULL, NULL, 0, $5, $6) ON CONFLICT (id) DO NOTHING`,
        [
          deliveryIdOf(subscription.id, envelope.id),
          subscription.id,
          envelope.id,
          envelope.type,
          now.toISOString(),
          now.getTime(),
        ],
      );
    onEnqueued();
  };
