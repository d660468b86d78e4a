import { randomUUID } from 'node:crypto';
import type { KeyStore } from '@estia/infra/crypto/keyStore.js';
import { ClientKeyErasedError } from '@estia/infra/crypto/errors.js';
import { isErased } from '@estia/infra/crypto/personalData.js';
import { StreamVersionConflictError } from '@estia/infra/eventStore/errors.js';
import type { EventStore } from '@estia/infra/eventStore/types.js';
import type { SqlExecutor } from '@estia/infra/sql/types.js';
import { loadClientProfile } from '../application/clientProfile.js';
import { openPersonalPart, sealPersonalPart } from '../application/personalCodec.js';
import type { DeadlineThresholds } from './deadlineConfig.js';
import { dueDeadlines } from './dueDeadlines.js';
import { clientsToCheck } from './reminderSchedule.js';
import { REMINDER_ISSUED, deadlinesStreamId, type DeadlineReminderIssued } from './reminderEvents.js';

export interface DeadlineDeps {
  store: EventStore;
  /** The referrals read models (rf_clients says who is active and who owns them). */
  db: SqlExecutor;
  keyStore: KeyStore;
}

export interface IssuedReminder {
  clientId: string;
  organisationId: string;
  deadline: string;
  thresholdDays: number;
}

const reminderKey = (deadline: string, dueDate: string, thresholdDays: number): string =>
  `${deadline}|${dueDate}|${thresholdDays}`;

/**
 * One pass: for every active client whose reminder window is open today (the reminder schedule, kept
 * from the legal-status events: nobody else's dates are opened), opens their dates with their key and
 * issues the reminders that are due and not yet issued. "Already issued" is read from the client's reminder
 * stream (not from memory), and the append expects the version read, so neither a restart nor a
 * second scheduler process issues one twice. Erased clients are skipped (their dates cannot be opened).
 */
export async function issueDueReminders(
  deps: DeadlineDeps,
  thresholds: DeadlineThresholds,
  now: Date = new Date(),
): Promise<IssuedReminder[]> {
  const { store, db, keyStore } = deps;
  const today = now.toISOString().slice(0, 10);
  const clients = await clientsToCheck(db, today);
  const issued: IssuedReminder[] = [];
  // One correlation id per pass: an auditor sees which run issued which reminders.
  const runId = randomUUID();
  for (const { client_id: clientId, registered_by_org: organisationId } of clients) {
    const profile = await loadClientProfile(store, keyStore, clientId);
    if (!profile || profile.erased) continue;
    const due = dueDeadlines(profile.legalStatus, today, thresholds);
    if (due.length === 0) continue;

    const streamId = deadlinesStreamId(clientId);
    const existing = await store.readStream(streamId);
    const done = new Set<string>();
    for (const event of existing) {
      if (event.type !== REMINDER_ISSUED) continue;
      const opened = await openPersonalPart<{ dueDate: string }>(keyStore, event);
      if (opened === undefined || isErased(opened)) continue;
      const d = event.data as DeadlineReminderIssued['data'];
      done.add(reminderKey(d.deadline, opened.dueDate, d.thresholdDays));
    }
    const fresh = due.filter((d) => !done.has(reminderKey(d.deadline, d.dueDate, d.thresholdDays)));
    if (fresh.length === 0) continue;

    try {
      const events = [];
      for (const d of fresh) {
        const event: DeadlineReminderIssued = {
          type: REMINDER_ISSUED,
          data: {
            reminderId: randomUUID(),
            clientId,
            organisationId,
            deadline: d.deadline,
            thresholdDays: d.thresholdDays,
            issuedAt: now.toISOString(),
            personal: { dueDate: d.dueDate },
          },
        };
        events.push({
          type: event.type,
          data: await sealPersonalPart(keyStore, event),
          metadata: { correlationId: runId, actor: { userId: 'system:deadlines' } },
        });
      }
      const last = existing[existing.length - 1];
      await store.append(streamId, events, { expectedVersion: last ? last.revision : 'no-stream' });
      for (const d of fresh)
        issued.push({ clientId, organisationId, deadline: d.deadline, thresholdDays: d.thresholdDays });
    } catch (error) {
      // Another scheduler issued them meanwhile, or the client was erased meanwhile: nothing to do.
      if (error instanceof StreamVersionConflictError || error instanceof ClientKeyErasedError) continue;
      throw error;
    }
  }
  return issued;
}
