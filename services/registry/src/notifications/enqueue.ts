import { createHash } from 'node:crypto';
import type { EventEnvelope } from '@estia/contracts';
import type { Clock } from '@estia/infra/clock/clock.js';
import type { ConsumerHandler } from '@estia/infra/processors/consumer.js';
import type { SqlExecutor } from '@estia/infra/sql/types.js';
import { modeFor, noticesOf, rolesFor, type Notice } from '../domain/notification/notificationRules.js';
import { loadPreferences } from './preferencesStore.js';

export const NOTIFICATIONS_GROUP = 'registry.notifications';

/** The daily digest goes out at this hour (UTC). */
export const DIGEST_HOUR_UTC = 7;

export const nextDigestAt = (now: Date): Date => {
  const at = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate(), DIGEST_HOUR_UTC));
  return at.getTime() > now.getTime() ? at : new Date(at.getTime() + 24 * 3_600_000);
};

/**
 * Queues one notice for every active person of the organisation whose roles it is for and who has not
 * turned it off: at once, or for the next daily digest. Idempotent by (cause, person).
 */
export async function enqueueNotice(
  tx: SqlExecutor,
  notice: Notice,
  options: { causeId: string; now: Date; consoleUrl: string },
): Promise<number> {
  const roles = rolesFor(notice.kind);
  const people = await tx.query<{ id: string; roles: string }>(
    `SELECT id, roles FROM registry_people WHERE organisation_id = $1 AND status = 'active'`,
    [notice.organisationId],
  );
  let queued = 0;
  for (const person of people) {
    const personRoles = person.roles.split(' ');
    if (!roles.some((r) => personRoles.includes(r))) continue;
    const mode = modeFor(notice.kind, personRoles, await loadPreferences(tx, person.id));
    if (mode === 'off') continue;
    const id = createHash('sha256').update(`${options.causeId}\n${notice.kind}\n${person.id}`).digest('base64url');
    const due = mode === 'immediate' ? options.now : nextDigestAt(options.now);
    const result = await tx.execute(
      `INSERT INTO notification_outbox (id, person_id, kind, reference, link, mode, due_at, sent_at, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, NULL, $8) ON CONFLICT (id) DO NOTHING`,
      [
        id,
        person.id,
        notice.kind,
        notice.reference,
        `${options.consoleUrl.replace(/\/$/, '')}${notice.path}`,
        mode,
        due.toISOString(),
        options.now.toISOString(),
      ],
    );
    queued += result.rowCount;
  }
  return queued;
}

/**
 * The consumer of the public events that concern people: referrals, access requests, deadlines near,
 * placement follow-ups due, membership.
 */
export const notificationsHandler =
  (clock: Clock, consoleUrl: string, onQueued: () => void = () => undefined): ConsumerHandler =>
  async (tx: SqlExecutor, envelope: EventEnvelope) => {
    let queued = 0;
    for (const notice of noticesOf(envelope))
      queued += await enqueueNotice(tx, notice, { causeId: envelope.id, now: clock(), consoleUrl });
    if (queued > 0) onQueued();
  };
