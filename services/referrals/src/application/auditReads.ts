import type { EventStore } from '@estia/infra/eventStore/types.js';
import type { Actor } from '../domain/shared/actor.js';

export const auditReadsStreamId = (userId: string): string => `audit-reads-${userId}`;

export interface AuditorRead {
  resource:
    'client' | 'referral' | 'referral-messages' | 'referral-history' | 'need-suggestions' | 'consent-override-report';
  resourceId: string;
}

/**
 * DESIGN §5: auditors read everything, and every read they make is itself recorded — in the log, so
 * the record is hash-chained like the case it looked at. Written BEFORE the answer leaves: if the
 * record cannot be written, the read does not happen.
 */
export async function recordAuditorRead(
  store: EventStore,
  actor: Actor,
  read: AuditorRead,
  correlationId?: string,
): Promise<void> {
  await store.append(
    auditReadsStreamId(actor.userId),
    [
      {
        type: 'AuditorRead',
        // When: the store's recordedAt of this event (no second clock).
        data: { ...read, organisationId: actor.organisationId, userId: actor.userId },
        metadata: {
          actor: { organisationId: actor.organisationId, userId: actor.userId },
          ...(correlationId ? { correlationId } : {}),
        },
      },
    ],
    { expectedVersion: 'any' },
  );
}
