import { deliverMembership } from '../testing/membership.js';
import { randomUUID } from 'node:crypto';
import { eventLogHead } from '@estia/infra/testing/eventLogHead.js';
import { formatFuzzReport, fuzzSeed, fuzzService, type FuzzPrincipal } from '@estia/infra/testing/openapiFuzz.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { addDays } from '../domain/shared/dates.js';
import { PIRAEUS, carpenterJob } from '../testing/builders.js';
import { startMatchingHarness, type MatchingHarness } from '../testing/matchingHarness.js';

/**
 * Every matching operation fuzzed from its OpenAPI document (FUZZ_RUNS requests, FUZZ_SEED replays):
 * no 5xx, every error problem+json, no event written by a refused request.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 800);
const NGO = randomUUID();
const EMPLOYER = randomUUID();
const today = new Date().toISOString().slice(0, 10);

const PRINCIPALS: FuzzPrincipal[] = [
  { organisationId: NGO, roles: ['job_coach'] },
  { organisationId: NGO, roles: ['referral_officer'] },
  { organisationId: EMPLOYER, roles: ['org_admin'] },
  { organisationId: randomUUID(), roles: ['org_admin'] },
  { organisationId: randomUUID(), roles: ['auditor'] },
  { organisationId: randomUUID(), roles: ['network_admin'] },
  { organisationId: NGO, roles: [] },
];

describe('matching: seeded fuzz of every operation', () => {
  let h: MatchingHarness;
  const ids: Record<string, string[]> = {};

  beforeAll(async () => {
    h = await startMatchingHarness();
    for (const [organisationId, kind] of [
      [NGO, 'ngo'],
      [EMPLOYER, 'employer'],
    ] as const)
      await deliverMembership(h, organisationId, kind);
    const created = await h.app.inject({
      method: 'POST',
      url: '/v1/opportunities',
      headers: {
        authorization: `Bearer ${await h.token(EMPLOYER, ['org_admin'])}`,
        'content-type': 'application/json',
      },
      payload: JSON.stringify(
        carpenterJob({
          startDate: addDays(today, 14),
          closingDate: addDays(today, 10),
          location: { remote: false, ...PIRAEUS, country: 'GR', locality: 'Piraeus' },
        }),
      ),
    });
    expect(created.statusCode).toBe(201);
    await h.settle();
    Object.assign(ids, { id: [created.json<{ id: string }>().id], clientId: [randomUUID()] });
  });
  afterAll(async () => h?.close());

  it(`answers ${RUNS} generated requests with no 5xx, problem+json errors and no writes from refusals`, async () => {
    const report = await fuzzService(
      {
        service: 'matching',
        inject: async (request) => {
          const r = await h.app.inject(request as never);
          return { statusCode: r.statusCode, headers: r.headers, body: r.body };
        },
        ids,
        principals: PRINCIPALS,
        token: (p) => h.token(p.organisationId, p.roles as never),
        head: eventLogHead(h.store),
      },
      { seed: fuzzSeed(), runs: RUNS },
    );
    console.log(formatFuzzReport('matching', report));
    expect(report.findings.slice(0, 20)).toEqual([]);
    expect(report.requests).toBe(RUNS);
  }, 300_000);
});
