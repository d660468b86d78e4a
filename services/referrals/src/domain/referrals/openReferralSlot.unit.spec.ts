import { DeciderSpecification } from '@estia/infra/testing/givenWhenThen.js';
import { describe, it } from 'vitest';
import { openReferralSlotDecider, type OpenReferralSlotEvent, type TakeOpenReferralSlot } from './openReferralSlot.js';

const spec = DeciderSpecification.for(openReferralSlotDecider);
const take = (referralId: string, holder: TakeOpenReferralSlot['holder'] = null): TakeOpenReferralSlot => ({
  type: 'TakeOpenReferralSlot',
  clientId: 'c-1',
  serviceId: 's-1',
  referralId,
  holder,
});
const taken = (referralId: string): OpenReferralSlotEvent => ({
  type: 'OpenReferralSlotTaken',
  data: { clientId: 'c-1', serviceId: 's-1', referralId },
});

describe('open referral slot', () => {
  it('a first referral takes the free slot', () =>
    spec
      .given([])
      .when(take('r-1'))
      .then([taken('r-1')]));

  it('is refused while the holder is open, naming it only to whom may see it', () => {
    spec
      .given([taken('r-1')])
      .when(take('r-2', { referralId: 'r-1', open: true, visibleToActor: true }))
      .thenThrows('CONFLICT', /open referral to this service: r-1/);
    spec
      .given([taken('r-1')])
      .when(take('r-2', { referralId: 'r-1', open: true, visibleToActor: false }))
      .thenThrows('CONFLICT', /open referral to this service$/);
  });

  it('a holder that moved since the facts were read counts as open', () =>
    spec
      .given([taken('r-1'), taken('r-3')])
      .when(take('r-2', { referralId: 'r-1', open: false, visibleToActor: true }))
      .thenThrows('CONFLICT', /open referral/));

  it('takes over from a closed holder; taking it again for the same referral changes nothing', () => {
    spec
      .given([taken('r-1')])
      .when(take('r-2', { referralId: 'r-1', open: false, visibleToActor: false }))
      .then([taken('r-2')]);
    spec
      .given([taken('r-2')])
      .when(take('r-2'))
      .thenNothing();
  });
});
