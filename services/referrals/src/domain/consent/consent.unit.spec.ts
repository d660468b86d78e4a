import { describe, expect, it } from 'vitest';
import { consentCovers, type Consent } from './consent.js';

const base: Consent = {
  consentId: 'c-housing',
  clientId: 'client-1',
  purpose: 'referral',
  recipient: { serviceCategory: 'housing' },
  scope: ['needs', 'languages'],
  method: 'written',
  recordedBy: { organisationId: 'org-a', userId: 'u-1' },
  givenAt: '2025-01-01T00:00:00.000Z',
  expiresAt: '2026-01-01T00:00:00.000Z',
  withdrawnAt: null,
};
const now = '2025-06-01T00:00:00.000Z';
const housingAtB = { organisationId: 'org-b', serviceCategory: 'housing' as const };

describe('consentCovers', () => {
  it('covers a referral to any organisation of the consented category', () => {
    expect(consentCovers([base], 'referral', housingAtB, now)?.consentId).toBe('c-housing');
  });

  it('does not cover another category, another purpose, or fields outside the scope', () => {
    expect(consentCovers([base], 'referral', { organisationId: 'org-b', serviceCategory: 'legal' }, now)).toBeNull();
    expect(consentCovers([base], 'job_matching', housingAtB, now)).toBeNull();
    expect(consentCovers([base], 'referral', housingAtB, now, ['needs'])).not.toBeNull();
    expect(consentCovers([base], 'referral', housingAtB, now, ['needs', 'contact_details'])).toBeNull();
  });

  it('binds an organisation-specific consent to that organisation (and its category, if named)', () => {
    const toC: Consent = { ...base, consentId: 'c-org', recipient: { organisationId: 'org-c' } };
    expect(consentCovers([toC], 'referral', housingAtB, now)).toBeNull();
    expect(
      consentCovers([toC], 'referral', { organisationId: 'org-c', serviceCategory: 'legal' }, now)?.consentId,
    ).toBe('c-org');
    const toCHousing: Consent = { ...toC, recipient: { organisationId: 'org-c', serviceCategory: 'housing' } };
    expect(
      consentCovers([toCHousing], 'referral', { organisationId: 'org-c', serviceCategory: 'legal' }, now),
    ).toBeNull();
  });

  it('prefers the most specific covering consent', () => {
    const toB: Consent = {
      ...base,
      consentId: 'c-b',
      recipient: { organisationId: 'org-b', serviceCategory: 'housing' },
    };
    expect(consentCovers([base, toB], 'referral', housingAtB, now)?.consentId).toBe('c-b');
  });

  it('does not cover before it was given or from its expiry on', () => {
    expect(consentCovers([base], 'referral', housingAtB, '2024-12-31T23:59:59.999Z')).toBeNull();
    expect(consentCovers([base], 'referral', housingAtB, '2026-01-01T00:00:00.000Z')).toBeNull();
    expect(
      consentCovers([{ ...base, expiresAt: null }], 'referral', housingAtB, '2030-01-01T00:00:00.000Z'),
    ).not.toBeNull();
  });

  it('stops covering at the very instant of withdrawal', () => {
    const withdrawn = { ...base, withdrawnAt: now };
    expect(consentCovers([withdrawn], 'referral', housingAtB, now)).toBeNull();
    expect(consentCovers([withdrawn], 'referral', housingAtB, '2025-05-31T23:59:59.999Z')).not.toBeNull();
  });

  it('lets a job_matching consent without a named recipient cover the matching service', () => {
    const jm: Consent = { ...base, consentId: 'c-jm', purpose: 'job_matching', recipient: {} };
    expect(consentCovers([jm], 'job_matching', {}, now)?.consentId).toBe('c-jm');
  });
});
