import { randomUUID } from 'node:crypto';
import { eventLogHead } from '@estia/infra/testing/eventLogHead.js';
import { scopeColumnSpecs } from '@estia/infra/testing/securityTable.js';
import { afterAll, beforeAll, describe } from 'vitest';
import { startReferralsHarness, type ReferralsHarness } from '../testing/referralsHarness.js';
import { membershipChanged } from '../testing/registryEvents.js';

const ORG = randomUUID();

/** The scope column of the referrals table, for every operation of its OpenAPI document. */
describe('referrals security table: operation × scope', () => {
  let h: ReferralsHarness;
  let head: () => Promise<number>;
  beforeAll(async () => {
    h = await startReferralsHarness({ name: 'scopes', facts: [membershipChanged(ORG)], auditRoutes: true });
    head = eventLogHead(h.store);
  });
  afterAll(async () => h?.close());

  scopeColumnSpecs('referrals', () => ({
    inject: async (request) => {
      const r = await h.http.inject(request as never);
      return { statusCode: r.statusCode, headers: r.headers, body: r.body };
    },
    token: (scopes) =>
      h.issuer.sign({
        organisationId: ORG,
        roles: ['referral_officer', 'data_protection_officer', 'auditor'],
        scopes: [...scopes],
      }),
    head: () => head(),
  }));
});
