import { randomUUID } from 'node:crypto';
import { eventLogHead } from '@estia/infra/testing/eventLogHead.js';
import { scopeColumnSpecs } from '@estia/infra/testing/securityTable.js';
import { afterAll, beforeAll, describe } from 'vitest';
import { startMatchingHarness, type MatchingHarness } from '../testing/matchingHarness.js';

/** The scope column of matching's table, for every operation of its OpenAPI document. */
describe('matching security table: operation × scope', () => {
  let h: MatchingHarness;
  let head: () => Promise<number>;
  beforeAll(async () => {
    h = await startMatchingHarness();
    head = eventLogHead(h.store);
  });
  afterAll(async () => h?.close());

  scopeColumnSpecs('matching', () => ({
    inject: async (request) => {
      const r = await h.app.inject(request as never);
      return { statusCode: r.statusCode, headers: r.headers, body: r.body };
    },
    token: (scopes) =>
      h.issuer.sign({ organisationId: randomUUID(), roles: ['job_coach', 'org_admin'], scopes: [...scopes] }),
    head: () => head(),
  }));
});
