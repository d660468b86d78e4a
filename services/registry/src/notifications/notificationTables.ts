import { applyDdl } from '@estia/infra/sql/applyDdl.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';

/**
 * People's notification choices and the e-mails waiting to go. A queued notice holds a kind, a
 * reference (an id) and a console link: no personal data of clients, ever.
 */
export async function ensureNotificationTables(db: SqlDatabase): Promise<void> {
  await applyDdl(db, [
    `CREATE TABLE IF NOT EXISTS notification_preferences (
      person_id TEXT PRIMARY KEY,
      language TEXT NOT NULL,
      kinds TEXT NOT NULL,
      updated_at TEXT NOT NULL
    )`,
    `CREATE TABLE IF NOT EXISTS notification_outbox (
      id TEXT PRIMARY KEY,
      person_id TEXT NOT NULL,
      kind TEXT NOT NULL,
      reference TEXT NOT NULL,
      link TEXT NOT NULL,
      mode TEXT NOT NULL,
      due_at TEXT NOT NULL,
      sent_at TEXT,
      created_at TEXT NOT NULL
    )`,
    'CREATE INDEX IF NOT EXISTS notification_outbox_due ON notification_outbox (sent_at, due_at)',
  ]);
}
