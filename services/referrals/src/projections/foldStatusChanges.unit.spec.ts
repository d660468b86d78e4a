import type { StoredEvent } from '@estia/infra/eventStore/types.js';
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
describe('foldStatusChanges', () => {
  it('folds the plain status changes that follow a sending into its row, up to anything else', () => {
    const events = [sent('a'), event('ReferralAccepted', 'a'), event('ReferralPutOnHold', 'a', { reasonCode: 'x' })];
    events.push(event('ReferralCompleted', 'a', { outcome: 'need_met' }));
    const items = foldStatusChanges(events.map((e) => ({ event: e })));
    expect(items.map((i) => i.event.type)).toEqual(['ReferralRequested', 'ReferralPutOnHold', 'ReferralCompleted']);
    expect(items[0]!.referralRow?.[8]).toBe('accepted');
  });

  it('folds each sending of a referral sent twice, the changes after each into its own row', () => {
    const events = [sent('a'), event('ReferralAccepted', 'a'), sent('b'), sent('a')];
    events.push(event('ReferralStarted', 'a'), event('ReferralCompleted', 'a', { outcome: 'need_met' }));
    const items = foldStatusChanges(events.map((e) => ({ event: e })));
    expect(items.map((i) => [i.event.data, i.referralRow?.[8], i.referralRow?.[16]])).toEqual([
      [events[0]!.data, 'accepted', null],
      [events[2]!.data, undefined, undefined],
      [events[3]!.data, 'completed', 'need_met'],
    ]);
  });

  it('leaves the sent row as referralRequestedRow makes it when nothing follows', () => {
    const items = foldStatusChanges([{ event: sent('a') }, { event: event('ReferralForwarded', 'a') }]);
    expect(items.map((i) => [i.event.type, i.referralRow])).toEqual([
      ['ReferralRequested', undefined],
      ['ReferralForwarded', undefined],
    ]);
  });
});
