import { applyDdl } from '@estia/infra/sql/applyDdl.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';

/**
 * The subscriptions read model (a projection of the subscription streams) and the delivery state the
 * delivery processor keeps: one message per public event, one delivery per (subscription, event), one
 * row per attempt. No personal data: bodies are public events filtered per organisation.
 */
export const WEBHOOK_SUBSCRIPTION_TABLES = ['webhook_subscriptions'] as const;

export async function ensureWebhookTables(db: SqlDatabase): Promise<void> {
  await applyDdl(db, [
    `CREATE TABLE IF NOT EXISTS webhook_subscriptions (
      id TEXT PRIMARY KEY,
      organisation_id TEXT NOT NULL,
      url TEXT NOT NULL,
      events TEXT NOT NULL,
      description TEXT NOT NULL,
      status TEXT NOT NULL,
      disabled_reason TEXT,
      sealed_secret TEXT NOT NULL,
      previous_sealed_secret TEXT,
      previous_secret_expires_at TEXT,
      created_at TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`,
    'CREATE INDEX IF NOT EXISTS webhook_subscriptions_org ON webhook_subscriptions (organisation_id)',
    `CREATE TABLE IF NOT EXISTS webhook_messages (
      event_id TEXT PRIMARY KEY,
      event_type TEXT NOT NULL,
      body TEXT NOT NULL,
      created_at TEXT NOT NULL
    )`,
    `CREATE TABLE IF NOT EXISTS webhook_deliveries (
      id TEXT PRIMARY KEY,
      subscription_id TEXT NOT NULL,
      event_id TEXT NOT NULL,
      event_type TEXT NOT NULL,
      status TEXT NOT NULL,
      attempts INTEGER NOT NULL,
      next_attempt_at TEXT,
      claimed_until TEXT,
      claim_token TEXT,
      manual INTEGER NOT NULL,
      created_at TEXT NOT NULL,
      enqueued_at_ms BIGINT NOT NULL
    )`,
    'CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (status, next_attempt_at)',
    'CREATE INDEX IF NOT EXISTS webhook_deliveries_sub ON webhook_deliveries (subscription_id, created_at)',
    'CREATE INDEX IF NOT EXISTS webhook_deliveries_claim ON webhook_deliveries (claim_token)',
    `CREATE TABLE IF NOT EXISTS webhook_attempts (
      delivery_id TEXT NOT NULL,
      attempt INTEGER NOT NULL,
      attempted_at TEXT NOT NULL,
      status_code INTEGER,
      latency_ms INTEGER NOT NULL,
      response_excerpt TEXT NOT NULL,
      error TEXT,
      manual INTEGER NOT NULL,
      PRIMARY KEY (delivery_id, attempt)
    )`,
    `CREATE TABLE IF NOT EXISTS webhook_health (
      subscription_id TEXT PRIMARY KEY,
      failing_since TEXT,
      last_success_at TEXT
    )`,
  ]);
}
