import { describe, expect, it } from 'vitest';
import { exchangeBlockersAt, exchangeTermsOf } from './exchangeRule.js';

const event = {
  status: 'approved',
  licence: { validUntil: '2031-01-01' },
  codeOfConductVersionAccepted: 1,
  currentCodeOfConductVersion: 2,
};

describe('exchange terms from a membership event', () => {
  it('an event from an older producer: the licence ends at the start of its day, and no grace', () => {
    const terms = exchangeTermsOf(event);
    expect(terms).toMatchObject({ licenceExpiresAt: '2031-01-01T00:00:00.000Z', codeAcceptanceDueAt: null });
    expect(exchangeBlockersAt(terms, '2030-06-01T00:00:00.000Z')).toEqual(['code_of_conduct_not_accepted']);
  });

  it('the exact instants when given, grace included', () => {
    const terms = exchangeTermsOf({
      ...event,
      licenceExpiresAt: '2031-01-01T18:00:00.000Z',
      codeOfConductAcceptanceDueAt: '2030-07-01T00:00:00.000Z',
    });
    expect(exchangeBlockersAt(terms, '2030-06-30T23:59:59.999Z')).toEqual([]);
    expect(exchangeBlockersAt(terms, '2030-07-01T00:00:00.000Z')).toEqual(['code_of_conduct_not_accepted']);
    expect(exchangeBlockersAt({ ...terms, acceptedCodeVersion: 2 }, '2031-01-01T18:00:00.000Z')).toEqual([
      'licence_expired',
    ]);
  });

  it('a member two versions behind has no grace', () => {
    const terms = exchangeTermsOf({
      ...event,
      currentCodeOfConductVersion: 3,
      codeOfConductAcceptanceDueAt: '2030-07-01T00:00:00.000Z',
    });
    expect(exchangeBlockersAt(terms, '2030-06-01T00:00:00.000Z')).toEqual(['code_of_conduct_not_accepted']);
  });
});
