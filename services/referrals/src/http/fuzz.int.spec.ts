import { randomUUID } from 'node:crypto';
import { eventLogHead } from '@estia/infra/testing/eventLogHead.js';
import { formatFuzzReport, fuzzSeed, fuzzService, type FuzzPrincipal } from '@estia/infra/testing/openapiFuzz.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferralsHarness, type ReferralsHarness } from '../testing/referralsHarness.js';
import { membershipChanged, servicePublished } from '../testing/registryEvents.js';

/**
 * Every referrals operation fuzzed from its OpenAPI document (FUZZ_RUNS requests, FUZZ_SEED replays):
 * no 5xx, every error problem+json, no event written by a refused request.
 */
const ORG_A = randomUUID();
const ORG_B = randomUUID();
const ORG_C = randomUUID();
const HOUSING_AT_B = randomUUID();
const RUNS = Number(process.env.FUZZ_RUNS ?? 800);

const PRINCIPALS: FuzzPrincipal[] = [
  { organisationId: ORG_A, roles: ['referral_officer'] },
  { organisationId: ORG_A, roles: ['data_protection_officer'] },
  { organisationId: ORG_A, roles: ['job_coach'] },
  { organisationId: ORG_A, roles: ['org_admin'] },
  { organisationId: ORG_B, roles: ['referral_officer'] },
  { organisationId: ORG_C, roles: ['referral_officer', 'org_admin'] },
  { organisationId: randomUUID(), roles: ['auditor'] },
  { organisationId: randomUUID(), roles: ['network_admin'] },
  { organisationId: ORG_A, roles: ['consent_override', 'referral_officer'] },
  { organisationId: ORG_A, roles: [] },
  { organisationId: ORG_B, roles: ['referral_officer'], scopes: ['directory:read'] },
];

describe('referrals: seeded fuzz of every operation', () => {
  let h: ReferralsHarness;
  const ids: Record<string, string[]> = {};

  beforeAll(async () => {
    h = await startReferralsHarness({
      name: 'fuzz',
      facts: [
        membershipChanged(ORG_A),
        membershipChanged(ORG_B),
        membershipChanged(ORG_C),
        servicePublished({ serviceId: HOUSING_AT_B, organisationId: ORG_B, category: 'housing' }),
      ],
    });
    const a = { actor: { organisationId: ORG_A, userId: 'user-a', roles: ['referral_officer' as const] } };
    const b = { actor: { organisationId: ORG_B, userId: 'user-b', roles: ['referral_officer' as const] } };
    const clientId = randomUUID();
    await h.app.registerClient(a, {
      clientId,
      personal: {
        givenNames: 'Amira',
        familyName: 'Fuzzcase',
        dateOfBirth: '1990-04-01',
        nationalities: ['SY'],
        languages: [{ language: 'ar', level: 'C2' }],
        legalStatus: { status: 'asylum_seeker' },
        location: { country: 'GR', region: 'EL30', coordinates: { lat: 37.98, lon: 23.72 } },
      } as never,
      confirmedNew: true,
    });
    const consentId = randomUUID();
    await h.app.clientCommand(a, {
      type: 'GiveConsent',
      clientId,
      consentId,
      purpose: 'referral',
      recipient: { serviceCategory: 'housing' },
      scope: ['needs', 'languages', 'location', 'legal_status'],
      method: 'written',
      expiresAt: null,
    });
    const needId = randomUUID();
    const assessed = await h.app.needsCommand(a, {
      type: 'AssessNeed',
      clientId,
      needId,
      assessmentId: randomUUID(),
      category: 'housing',
      priority: 'high',
    });
    await h.projector.waitFor(assessed.lastPosition!);
    const referralId = randomUUID();
    const sent = await h.app.sendReferral(a, {
      referralId,
      clientId,
      serviceId: HOUSING_AT_B,
      share: ['needs'],
      needId,
    });
    await h.projector.waitFor(sent.lastPosition!);
    const accepted = await h.app.referralCommand(b, { type: 'AcceptReferral', referralId } as never);
    await h.projector.waitFor(accepted.lastPosition!);
    Object.assign(ids, {
      clientId: [clientId],
      id: [clientId],
      consentId: [consentId],
      needId: [needId],
      referralId: [referralId],
      accessRequestId: [randomUUID()],
    });
  });

  afterAll(async () => h?.close());

  it(`answers ${RUNS} generated requests with no 5xx, problem+json errors and no writes from refusals`, async () => {
    const seed = fuzzSeed();
    const report = await fuzzService(
      {
        service: 'referrals',
        inject: async (request) => {
          const r = await h.http.inject(request as never);
          return { statusCode: r.statusCode, headers: r.headers, body: r.body };
        },
        ids,
        principals: PRINCIPALS,
        token: (p) => h.issuer.sign({ ...p, roles: p.roles as never, subject: `user-${p.roles.join('-')}` }),
        head: eventLogHead(h.store),
      },
      { seed, runs: RUNS },
    );
    console.log(formatFuzzReport('referrals', report));
    expect(report.findings.slice(0, 20)).toEqual([]);
    expect(report.requests).toBe(RUNS);
  }, 300_000);
});
