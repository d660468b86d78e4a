import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { carpenterJob } from '../testing/builders.js';
import { startMatchingHarness, type MatchingHarness } from '../testing/matchingHarness.js';

/**
 * Matching decides "may this organisation publish?" when the request arrives, with its own clock, from
 * the terms the registry last sent: no event marks a licence's expiry or the end of a grace period.
 */
const EMPLOYER = randomUUID(); // licence ends at LICENCE_END
const LATE = randomUUID(); // accepted code v1; v2 came with a grace period ending at GRACE_END
const LICENCE_END = '2031-03-01T12:00:00.000Z';
const GRACE_END = '2031-02-01T00:00:00.000Z';
const minute = 60_000;
const at = (instant: string, offsetMs: number) => new Date(Date.parse(instant) + offsetMs).toISOString();

describe('matching: exchange follows the clock (licence expiry, code-of-conduct grace)', () => {
  let h: MatchingHarness;
  beforeAll(async () => {
    h = await startMatchingHarness();
    const membership = (organisationId: string, extra: Record<string, unknown>) =>
      h.deliver(
        'estia.registry.organisation.membership-changed.v1',
        organisationId,
        {
          organisationId,
          name: 'Employer',
          kind: 'employer',
          country: 'GR',
          region: 'EL30',
          status: 'approved',
          change: 'approved',
          licence: { number: 'L-1', validUntil: '2031-12-31' },
          licenceExpiresAt: '2031-12-31T00:00:00.000Z',
          codeOfConductVersionAccepted: 1,
          currentCodeOfConductVersion: 1,
          codeOfConductAcceptanceDueAt: null,
          mayExchange: true,
          changedAt: '2031-01-01T00:00:00.000Z',
          ...extra,
        } as never,
        organisationId,
      );
    await membership(EMPLOYER, { licence: { number: 'L-1', validUntil: '2031-03-01' }, licenceExpiresAt: LICENCE_END });
    await membership(LATE, {
      currentCodeOfConductVersion: 2,
      codeOfConductAcceptanceDueAt: GRACE_END,
      change: 'code_of_conduct_superseded',
    });
  });
  afterAll(async () => h?.close());

  const publish = async (organisationId: string, now: string) => {
    h.setNow(now);
    const answer = await h.app.inject({
      method: 'POST',
      url: '/v1/opportunities',
      headers: { authorization: `Bearer ${await h.token(organisationId, ['org_admin'])}` },
      payload: carpenterJob({ startDate: now.slice(0, 10), closingDate: now.slice(0, 10) }),
    });
    h.setNow(null);
    return answer.statusCode;
  };

  it('a licence stops publishing at its expiry instant', async () => {
    expect(await publish(EMPLOYER, at(LICENCE_END, -minute))).toBe(201);
    expect(await publish(EMPLOYER, LICENCE_END)).toBe(403);
  });

  it('a member that had accepted the previous code keeps publishing until the grace period ends', async () => {
    expect(await publish(LATE, at(GRACE_END, -minute))).toBe(201);
    expect(await publish(LATE, at(GRACE_END, 1))).toBe(403);
  });
});
