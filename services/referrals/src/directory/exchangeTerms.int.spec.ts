import { randomUUID } from 'node:crypto';
import { isAppError } from '@estia/infra/errors/appError.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Actor } from '../domain/shared/actor.js';
import { startReferralsHarness, type ReferralsHarness } from '../testing/referralsHarness.js';
import { membershipChanged, registryEnvelope, servicePublished } from '../testing/registryEvents.js';

/**
 * Exchange is decided when a command arrives, with the application's clock, from the terms the
 * registry last sent: a licence that expires and a grace period that ends stop referrals at that
 * moment although no event arrives. The clock is moved; the registry says nothing more.
 */
const SENDER = randomUUID(); // licence expires at LICENCE_END
const LATE = randomUUID(); // accepted code v1; v2 was published with a grace period ending at GRACE_END
const RECEIVER = randomUUID();
const HOUSING = randomUUID();
const START = Date.parse('2030-06-01T09:00:00.000Z');
const LICENCE_END = '2030-06-10T12:00:00.000Z';
const GRACE_END = '2030-07-01T09:00:00.000Z';

const terms = (organisationId: string, extra: Record<string, unknown>) => {
  const base = membershipChanged(organisationId, 'approved', '2030-06-01T08:00:00.000Z');
  return registryEnvelope('estia.registry.organisation.membership-changed.v1', {
    ...(base.data as Record<string, unknown>),
    licence: { number: 'L-1', validUntil: '2031-01-01' },
    licenceExpiresAt: '2031-01-01T00:00:00.000Z',
    codeOfConductAcceptanceDueAt: null,
    ...extra,
  } as never);
};

describe('exchange follows the clock: licence expiry and code-of-conduct grace', () => {
  let h: ReferralsHarness;
  let now = START;
  beforeAll(async () => {
    h = await startReferralsHarness({
      name: 'exchange-terms',
      clock: () => new Date(now),
      facts: [
        terms(SENDER, { licence: { number: 'L-1', validUntil: '2030-06-10' }, licenceExpiresAt: LICENCE_END }),
        terms(LATE, {
          codeOfConductVersionAccepted: 1,
          currentCodeOfConductVersion: 2,
          codeOfConductAcceptanceDueAt: GRACE_END,
          change: 'code_of_conduct_superseded',
        }),
        terms(RECEIVER, {}),
        servicePublished({ serviceId: HOUSING, organisationId: RECEIVER, category: 'housing' }),
      ],
    });
  });
  afterAll(async () => h?.close());

  const officer = (organisationId: string): Actor => ({
    organisationId,
    userId: `officer-${organisationId}`,
    roles: ['referral_officer'],
  });

  /** A client of `organisationId` with consent to refer to housing, and a referral attempt. */
  const refer = async (organisationId: string): Promise<'sent' | string> => {
    const ctx = { actor: officer(organisationId) };
    const clientId = randomUUID();
    await h.app.registerClient(ctx, {
      clientId,
      confirmedNew: true,
      personal: {
        givenNames: 'Amira',
        familyName: `Test${randomUUID().replace(/[^a-f]/g, '')}`,
        dateOfBirth: '1990-01-01',
        nationalities: ['SY'],
        languages: [{ language: 'ar', level: 'C2' }],
        legalStatus: { status: 'asylum_seeker' },
        location: { country: 'GR', region: 'EL30' },
      } as never,
    });
    await h.app.clientCommand(ctx, {
      type: 'GiveConsent',
      clientId,
      consentId: randomUUID(),
      purpose: 'referral',
      recipient: { serviceCategory: 'housing' },
      scope: ['needs', 'languages'],
      method: 'written',
      expiresAt: null,
    });
    try {
      await h.app.sendReferral(ctx, { referralId: randomUUID(), clientId, serviceId: HOUSING, share: ['languages'] });
      return 'sent';
    } catch (error) {
      if (isAppError(error)) return `${error.code}: ${error.message}`;
      throw error;
    }
  };

  it('a licence stops exchange at its expiry instant, with no event', async () => {
    now = Date.parse(LICENCE_END) - 60_000;
    expect(await refer(SENDER)).toBe('sent');
    now = Date.parse(LICENCE_END);
    expect(await refer(SENDER)).toMatch(/may not exchange|exchange/i);
    now = START;
  });

  it('a new code version: members that had accepted the previous one exchange until the grace period ends', async () => {
    now = Date.parse(GRACE_END) - 60_000;
    expect(await refer(LATE)).toBe('sent');
    now = Date.parse(GRACE_END) + 1;
    expect(await refer(LATE)).toMatch(/exchange/i);
    now = START;
  });

  it('suggestions leave out members that may no longer exchange at the time asked', async () => {
    const { suggestServices } = await import('./directoryQueries.js');
    const criteria = {
      category: 'housing',
      legalStatus: 'asylum_seeker',
      languages: ['ar'],
      location: { country: 'GR', region: 'EL30' },
    };
    expect(
      (await suggestServices(h.db, { ...criteria, now: new Date(START).toISOString() })).map((s) => s.serviceId),
    ).toContain(HOUSING);
    expect(
      (await suggestServices(h.db, { ...criteria, now: '2031-01-01T00:00:00.000Z' })).map((s) => s.serviceId),
    ).not.toContain(HOUSING);
  });
});
