import type { KeyStore } from '@estia/infra/crypto/keyStore.js';
import { isErased } from '@estia/infra/crypto/personalData.js';
import type { Projection } from '@estia/infra/projections/projection.js';
import { applyDdl } from '@estia/infra/sql/applyDdl.js';
import type { SqlDatabase, SqlExecutor } from '@estia/infra/sql/types.js';
import type { LegalStatusRecord } from '../domain/clients/clientData.js';
import { openPersonalPart } from '../application/personalCodec.js';
import { zeroFreedBytes } from '../audit/zeroFreedBytes.js';
import type { DeadlineThresholds } from './deadlineConfig.js';
import type { DeadlineKind } from './reminderEvents.js';

const DAY_MS = 86_400_000;

const DDL = [
  `CREATE TABLE IF NOT EXISTS rf_reminder_schedule (
    client_id TEXT NOT NULL,
    deadline TEXT NOT NULL,
    check_from TEXT NOT NULL,
    check_until TEXT NOT NULL,
    PRIMARY KEY (client_id, deadline)
  )`,
  `CREATE INDEX IF NOT EXISTS rf_reminder_schedule_due ON rf_reminder_schedule (check_from, check_until)`,
];

/** The client's dates, by kind, as the reminders know them. */
export const deadlinesOf = (legalStatus: LegalStatusRecord | undefined): [DeadlineKind, string | undefined][] => [
  ['residence_permit', legalStatus?.residencePermit?.validUntil],
  ['work_permit', legalStatus?.workPermit?.validUntil],
  ['reception_exit', legalStatus?.mustLeaveReceptionBy],
];

const day = (ms: number): string => new Date(ms).toISOString().slice(0, 10);
/** The Monday on or before `ms` (UTC). */
const weekStart = (ms: number): number => {
  const weekday = (new Date(ms).getUTCDay() + 6) % 7;
  return ms - weekday * DAY_MS;
};

/**
 * The window in which a reminder for `dueDate` may fall due, widened to whole weeks: from the Monday on
 * or before (due − threshold) to the Sunday on or after the due date. The schedule holds these weeks
 * only, never the date itself (that stays sealed in the events): a row says "look at this client in
 * these weeks", and the job opens the exact date with the client's key when the week has come.
 */
export const checkWindow = (dueDate: string, thresholdDays: number): { from: string; until: string } | null => {
  const due = Date.parse(`${dueDate}T00:00:00Z`);
  if (Number.isNaN(due)) return null;
  return { from: day(weekStart(due - thresholdDays * DAY_MS)), until: day(weekStart(due) + 6 * DAY_MS) };
};

export const reminderScheduleName = (t: DeadlineThresholds): string =>
  `referrals.reminder-schedule.v1.p${t.permitDays}.r${t.receptionDays}`;

/**
 * The reminder schedule: per client and kind of deadline, the weeks in which a reminder may fall due,
 * kept from the legal-status events (a changed date replaces its row, an erased client loses theirs).
 * The checkpoint name carries the thresholds: changing them rebuilds the schedule from the log.
 */
export const reminderScheduleProjection = (keyStore: KeyStore, thresholds: DeadlineThresholds): Projection => ({
  name: reminderScheduleName(thresholds),
  types: ['ClientRegistered', 'LegalStatusChanged', 'ClientErased'],
  async migrate(db: SqlDatabase) {
    await zeroFreedBytes(db);
    await applyDdl(db, DDL);
  },
  async reset(tx) {
    await tx.execute('DELETE FROM rf_reminder_schedule');
  },
  async handle(tx: SqlExecutor, events) {
    for (const event of events) {
      const { clientId } = event.data as { clientId: string };
      await tx.execute('DELETE FROM rf_reminder_schedule WHERE client_id = $1', [clientId]);
      if (event.type === 'ClientErased') continue;
      const opened = await openPersonalPart<{ legalStatus?: LegalStatusRecord }>(keyStore, event);
      // Erased since: nothing to schedule for them.
      if (opened === undefined || isErased(opened)) continue;
      for (const [deadline, dueDate] of deadlinesOf(opened.legalStatus)) {
        if (dueDate === undefined) continue;
        const threshold = deadline === 'reception_exit' ? thresholds.receptionDays : thresholds.permitDays;
        const window = checkWindow(dueDate, threshold);
        if (!window) continue;
        await tx.execute(
          'INSERT INTO rf_reminder_schedule (client_id, deadline, check_from, check_until) VALUES ($1, $2, $3, $4)',
          [clientId, deadline, window.from, window.until],
        );
      }
    }
  },
});

/** Active clients with a reminder window open on `today` (YYYY-MM-DD): the only ones whose dates are opened. */
export async function clientsToCheck(
  db: SqlExecutor,
  today: string,
): Promise<{ client_id: string; registered_by_org: string }[]> {
  return db.query<{ client_id: string; registered_by_org: string }>(
    `SELECT DISTINCT c.client_id, c.registered_by_org FROM rf_reminder_schedule s
     JOIN rf_clients c ON c.client_id = s.client_id
     WHERE s.check_from <= $1 AND s.check_until >= $1 AND c.status = 'active' ORDER BY c.client_id`,
    [today],
  );
}
