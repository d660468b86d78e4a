import type { StoredEvent } from '@estia/infra/eventStore/types.js';
import type { SqlExecutor } from '@estia/infra/sql/types.js';
import { describe, expect, it } from 'vitest';
import { foldStatusChanges } from './foldStatusChanges.js';

const at = '2026-05-01T00:00:00.000Z';
const event = (type: string, referralId: string, extra: Record<string, unknown> = {}): StoredEvent =>
  ({ type, data: { referralId, at, ...extra } }) as unknown as StoredEvent;
const sent = (referralId: string) =>
  event('ReferralRequested', referralId, {
    clientId: 'c',
    senderOrganisationId: 's',
    receiverOrganisationId: 'r',
    category: 'housing',
    share: ['needs'],
    consentBasis: { kind: 'consent', consentId: 'k' },
    respondBy: at,
  });
const tx = (present: string[]): SqlExecutor => ({
  dialect: 'sqlite',
  query: async <Row>() => present.map((referral_id) => ({ referral_id })) as Row[],
  execute: async () => ({ rowCount: 0 }),
});

describe('foldStatusChanges', () => {
  it('folds the plain status changes that follow a sending into its row, up to anything else', async () => {
    const events = [sent('a'), event('ReferralAccepted', 'a'), event('ReferralPutOnHold', 'a', { reasonCode: 'x' })];
    events.push(event('ReferralCompleted', 'a', { outcome: 'need_met' }));
    const items = await foldStatusChanges(
      tx([]),
      events.map((e) => ({ event: e })),
    );
    expect(items.map((i) => i.event.type)).toEqual(['ReferralRequested', 'ReferralPutOnHold', 'ReferralCompleted']);
    expect(items[0]!.referralRow?.[8]).toBe('accepted');
  });

  it('leaves the events of a referral already in the table as they are', async () => {
    const events = [sent('a'), event('ReferralAccepted', 'a')].map((e) => ({ event: e }));
    const items = await foldStatusChanges(tx(['a']), events);
    expect(items.map((i) => [i.event.type, i.referralRow])).toEqual([
      ['ReferralRequested', undefined],
      ['ReferralAccepted', undefined],
    ]);
  });
});
