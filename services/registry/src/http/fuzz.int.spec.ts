import { randomUUID } from 'node:crypto';
import { NETWORK_AUDIENCES } from '@estia/infra/auth/tokenVerifier.js';
import { eventLogHead } from '@estia/infra/testing/eventLogHead.js';
import { formatFuzzReport, fuzzSeed, fuzzService, type FuzzPrincipal } from '@estia/infra/testing/openapiFuzz.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tokenForPerson } from '../application/tokens.js';
import { NETWORK_ORGANISATION_ID } from '../auth/token.js';
import { demoNetwork } from '../demo/demoData.js';
import type { Role } from '../domain/shared/actor.js';
import { startRegistryTestApp, TEST_ISSUER, type RegistryTestApp } from './registryTestApp.js';

/**
 * Every registry operation fuzzed from its OpenAPI document over the demo network (FUZZ_RUNS
 * requests, FUZZ_SEED replays): no 5xx, every error problem+json, no event written by a refusal.
 */
const RUNS = Number(process.env.FUZZ_RUNS ?? 800);
const network = demoNetwork();
const [first, second] = network.organisations;

const PRINCIPALS: FuzzPrincipal[] = [
  { organisationId: first!.organisationId, roles: ['org_admin'] },
  { organisationId: first!.organisationId, roles: ['referral_officer'] },
  { organisationId: second!.organisationId, roles: ['org_admin'] },
  { organisationId: NETWORK_ORGANISATION_ID, roles: ['network_admin'] },
  { organisationId: randomUUID(), roles: ['auditor'] },
  { organisationId: first!.organisationId, roles: [] },
];

describe('registry: seeded fuzz of every operation', () => {
  let t: RegistryTestApp;
  beforeAll(async () => {
    t = await startRegistryTestApp();
  });
  afterAll(async () => t?.close());

  it(`answers ${RUNS} generated requests with no 5xx, problem+json errors and no writes from refusals`, async () => {
    const ids = [
      ...network.organisations
        .slice(0, 3)
        .flatMap((o) => [o.organisationId, ...o.services.map((s) => s.serviceId), ...o.people.map((p) => p.personId)]),
    ];
    const report = await fuzzService(
      {
        service: 'registry',
        inject: async (request) => {
          const r = await t.app.inject(request as never);
          return { statusCode: r.statusCode, headers: r.headers, body: r.body };
        },
        ids: { id: ids },
        principals: PRINCIPALS,
        token: async (p) =>
          (
            await tokenForPerson(
              { issuer: TEST_ISSUER, audiences: NETWORK_AUDIENCES, keyRing: () => t.ring },
              { principalId: `p-${p.roles.join('-')}`, organisationId: p.organisationId, roles: p.roles as Role[] },
            )
          ).accessToken,
        head: eventLogHead(t.store),
      },
      { seed: fuzzSeed(), runs: RUNS },
    );
    console.log(formatFuzzReport('registry', report));
    expect(report.findings.slice(0, 20)).toEqual([]);
    expect(report.requests).toBe(RUNS);
  }, 300_000);
});
