import type { NewEvent } from '@estia/infra/eventStore/types.js';
import type { RebuildTarget } from '../../../bench/rebuildTarget.js';
import { registryProjections } from '../src/projections/registryProjections.js';
import { webhookSubscriptionsProjection } from '../src/webhooks/subscriptionProjection.js';
import { organisationEvents, reseed } from './directoryEvents.js';

const at = '2026-01-01T00:00:00.000Z';
const meta = { actor: { userId: 'bench' } };
const id = (n: number, kind: number) =>
  `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

/** Organisation `o`'s members (two invited, one of whom accepted) and, for every tenth, a webhook subscription. */
function memberEvents(o: number): Array<{ streamId: string; events: NewEvent[] }> {
  const organisationId = id(o, 1);
  const streams: Array<{ streamId: string; events: NewEvent[] }> = [];
  for (let m = 0; m < 2; m++) {
    const personId = id(o * 2 + m, 3);
    const events: NewEvent[] = [
      {
        type: 'PersonInvited',
        data: {
          personId,
          organisationId,
          email: `member${m}.org${o}@example.org`,
          displayName: `Member ${m} of ${o}`,
          roles: [m === 0 ? 'org_admin' : 'referral_officer'],
          permissions: [],
          invitationTokenHash: '0'.repeat(64),
          invitationExpiresAt: at,
          invitedAt: at,
          invitedBy: 'bench',
        },
        metadata: meta,
      },
    ];
    if (m === 0) events.push({ type: 'InvitationAccepted', data: { personId, passwordHash: 'x', acceptedAt: at } });
    streams.push({ streamId: `person-${personId}`, events });
  }
  if (o % 10 === 0) {
    const subscriptionId = id(o, 4);
    streams.push({
      streamId: `webhook-subscription-${subscriptionId}`,
      events: [
        {
          type: 'WebhookSubscriptionCreated',
          data: {
            subscriptionId,
            organisationId,
            url: `https://hooks.example.org/${o}`,
            events: ['ServiceRegistered'],
            description: 'bench',
            sealedSecret: 'sealed',
            createdAt: at,
            createdBy: 'bench',
          },
          metadata: meta,
        },
      ],
    });
  }
  return streams;
}

/** Registry: organisations with their services, members and webhook subscriptions; every projection of main.ts. */
export const registryRebuild: RebuildTarget = {
  service: 'registry',
  async seed(store, wanted, progress = () => undefined) {
    reseed(42);
    let events = 0;
    for (let o = 0; events < wanted; o += 100) {
      const appends: Promise<unknown>[] = [];
      for (let k = o; k < o + 100 && events < wanted; k++)
        for (const { streamId, events: batch } of [...organisationEvents(k), ...memberEvents(k)]) {
          events += batch.length;
          appends.push(store.append(streamId, batch, { expectedVersion: 'no-stream' }));
        }
      await Promise.all(appends);
      progress(events);
    }
    return events;
  },
  projections: async () => [...registryProjections, webhookSubscriptionsProjection],
};
