import { describe, expect, it } from 'vitest';
import { audienceOf, selects } from './audience.js';

describe('who may see an event by webhook', () => {
  it('a referral: its sender and its receiver', () =>
    expect(
      audienceOf({
        type: 'estia.referrals.referral.status-changed.v1',
        data: { fromOrganisationId: 'a', toOrganisationId: 'b' },
      }),
    ).toEqual({ everyone: false, organisations: ['a', 'b'] }));
  it('a placement: the employer', () =>
    expect(audienceOf({ type: 'estia.matching.placement.hired.v1', data: { employerOrganisationId: 'e' } })).toEqual({
      everyone: false,
      organisations: ['e'],
    }));
  it('an access request: its answer to the requester only, its arrival to the holder only', () => {
    expect(
      audienceOf({
        type: 'estia.referrals.access-request.status-changed.v1',
        data: { accessRequestId: 'x', requesterOrganisationId: 'r', status: 'approved' },
      }),
    ).toEqual({ everyone: false, organisations: ['r'] });
    expect(
      audienceOf({
        type: 'estia.referrals.access-request.received.v1',
        data: { accessRequestId: 'x', holderOrganisationId: 'h' },
      }),
    ).toEqual({ everyone: false, organisations: ['h'] });
  });
  it('a deadline reminder: the holding organisation; a follow-up due: the employer and the coach', () => {
    expect(
      audienceOf({ type: 'estia.referrals.deadline.approaching.v1', data: { reminderId: 'x', organisationId: 'h' } }),
    ).toEqual({ everyone: false, organisations: ['h'] });
    expect(
      audienceOf({
        type: 'estia.matching.placement.follow-up-due.v1',
        data: { placementId: 'p', employerOrganisationId: 'e', coachOrganisationId: 'c' },
      }),
    ).toEqual({ everyone: false, organisations: ['e', 'c'] });
    expect(selects(['*'], 'estia.matching.placement.follow-up-due.v1')).toBe(true);
  });
  it('the code of conduct: every member', () =>
    expect(audienceOf({ type: 'estia.registry.code-of-conduct.published.v1', data: {} })).toEqual({ everyone: true }));
  it('events about a person: nobody', () => {
    expect(
      audienceOf({ type: 'estia.referrals.client.consent-given.v1', data: { recordedByOrganisationId: 'a' } }),
    ).toEqual({ everyone: false, organisations: [] });
    expect(selects(['*'], 'estia.referrals.client.erased.v1')).toBe(false);
  });
  it('a selection takes its types, "*" every offered type', () => {
    expect(selects(['estia.matching.placement.hired.v1'], 'estia.matching.placement.hired.v1')).toBe(true);
    expect(selects(['estia.matching.placement.hired.v1'], 'estia.referrals.referral.status-changed.v1')).toBe(false);
    expect(selects(['*'], 'estia.referrals.referral.status-changed.v1')).toBe(true);
  });
});
