import type { Projection } from '@estia/infra/projections/projection.js';
import type { SqlDatabase, SqlExecutor } from '@estia/infra/sql/types.js';
import type { KeyStore } from '@estia/infra/crypto/keyStore.js';
import { isErased } from '@estia/infra/crypto/personalData.js';
import type { StoredEvent } from '@estia/infra/eventStore/types.js';
import type { LegalStatusRecord } from '../domain/clients/clientData.js';
import { openPersonalPart } from '../application/personalCodec.js';
import { deadlinesOf } from './reminderSchedule.js';
import { zeroFreedBytes } from '../audit/zeroFreedBytes.js';
import { REMINDER_ISSUED, type DeadlineKind, type DeadlineReminderIssued } from './reminderEvents.js';
import { applyDdl } from '@estia/infra/sql/applyDdl.js';

// v2: a changed date removes the reminders issued for the old one.
export const REMINDERS_PROJECTION = 'referrals.reminders.v2';

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

async function dropStale(tx: SqlExecutor, keyStore: KeyStore, event: StoredEvent): Promise<void> {
  const { clientId } = event.data as { clientId: string };
  const opened = await openPersonalPart<{ legalStatus?: LegalStatusRecord }>(keyStore, event);
  if (opened === undefined || isErased(opened)) return;
  const current = new Map(deadlinesOf(opened.legalStatus));
  const rows = await tx.query<{ reminder_id: string; deadline: DeadlineKind; sealed_due_date: string }>(
    'SELECT reminder_id, deadline, sealed_due_date FROM rf_reminders WHERE client_id = $1',
    [clientId],
  );
  for (const row of rows) {
    const due = await openPersonalPart<{ dueDate: string }>(keyStore, {
      type: REMINDER_ISSUED,
      data: { clientId, personal: JSON.parse(row.sealed_due_date) },
    });
    if (due === undefined || isErased(due) || due.dueDate !== current.get(row.deadline))
      await tx.execute('DELETE FROM rf_reminders WHERE reminder_id = $1', [row.reminder_id]);
  }
}

async function migrate(db: SqlDatabase): Promise<void> {
  // This projection deletes an erased client's rows too: their bytes must not stay in the file.
  await zeroFreedBytes(db);
  await applyDdl(db, DDL);
}

/**
 * Reminders per owning organisation. The due date stays sealed here (opened on read with the client's
 * key); an erased client's reminders are deleted, like every other read model row about them. When a
 * client's legal status changes, a reminder whose date is no longer the client's (a renewed permit) is
 * deleted: it reminds of nothing any more.
 */
export const remindersProjection = (keyStore: KeyStore): Projection => ({
  name: REMINDERS_PROJECTION,
  batchWrites: true,
  types: [REMINDER_ISSUED, 'ClientErased', 'LegalStatusChanged'],
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
      if (event.type === 'LegalStatusChanged') {
        await dropStale(tx, keyStore, event);
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
});
