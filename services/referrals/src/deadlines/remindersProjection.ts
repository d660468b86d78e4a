import type { Projection } from '@estia/infra/projections/projection.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { zeroFreedBytes } from '../audit/zeroFreedBytes.js';
import { REMINDER_ISSUED, type DeadlineReminderIssued } from './reminderEvents.js';
import { applyDdl } from '@estia/infra/sql/applyDdl.js';

export const REMINDERS_PROJECTION = 'referrals.reminders';

const DDL = [
  `CREATE TABLE IF NOT EXISTS rf_reminders (
    reminder_id TEXT PRIMARY KEY,
    client_id TEXT NOT NULL,
    organisation_id TEXT NOT NULL,
    deadline TEXT NOT NULL,
    threshold_days INTEGER NOT NULL,
    issued_at TEXT NOT NULL,
    sealed_due_date TEXT NOT NULL
  )`,
  `CREATE INDEX IF NOT EXISTS rf_reminders_org ON rf_reminders (organisation_id, issued_at)`,
  `CREATE INDEX IF NOT EXISTS rf_reminders_client ON rf_reminders (client_id)`,
];

async function migrate(db: SqlDatabase): Promise<void> {
  // This projection deletes an erased client's rows too: their bytes must not stay in the file.
  await zeroFreedBytes(db);
  await applyDdl(db, DDL);
}

/**
 * Reminders per owning organisation. The due date stays sealed here (opened on read with the client's
 * key); an erased client's reminders are deleted, like every other read model row about them.
 */
export const remindersProjection: Projection = {
  name: REMINDERS_PROJECTION,
  batchWrites: true,
  types: [REMINDER_ISSUED, 'ClientErased'],
  migrate,
  async reset(tx) {
    await tx.execute('DELETE FROM rf_reminders');
  },
  async handle(tx, events) {
    for (const event of events) {
      if (event.type === 'ClientErased') {
        await tx.execute('DELETE FROM rf_reminders WHERE client_id = $1', [
          (event.data as { clientId: string }).clientId,
        ]);
        continue;
      }
      if (event.type !== REMINDER_ISSUED) continue;
      const d = event.data as DeadlineReminderIssued['data'];
      await tx.execute(
        `INSERT INTO rf_reminders (reminder_id, client_id, organisation_id, deadline, threshold_days, issued_at, sealed_due_date)
         VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (reminder_id) DO NOTHING`,
        [
          d.reminderId,
          d.clientId,
          d.organisationId,
          d.deadline,
          d.thresholdDays,
          d.issuedAt,
          JSON.stringify(d.personal),
        ],
      );
    }
  },
};
