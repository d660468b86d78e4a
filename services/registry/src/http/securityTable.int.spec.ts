import { randomUUID } from 'node:crypto';
import { NETWORK_AUDIENCES } from '@estia/infra/auth/tokenVerifier.js';
import { eventLogHead } from '@estia/infra/testing/eventLogHead.js';
import { scopeColumnSpecs } from '@estia/infra/testing/securityTable.js';
import { afterAll, beforeAll, describe } from 'vitest';
import { issueToken } from '../auth/token.js';
import { startRegistryTestApp, TEST_ISSUER, type RegistryTestApp } from './registryTestApp.js';

/** The scope column of the registry's table, for every operation of its OpenAPI document. */
describe('registry security table: operation × scope', () => {
  let t: RegistryTestApp;
  let head: () => Promise<number>;
  beforeAll(async () => {
    t = await startRegistryTestApp();
    head = eventLogHead(t.store);
  });
  afterAll(async () => t?.close());

  scopeColumnSpecs('registry', () => ({
    inject: async (request) => {
      const r = await t.app.inject(request as never);
      return { statusCode: r.statusCode, headers: r.headers, body: r.body };
    },
    token: async (scopes) =>
      (
        await issueToken(
          t.ring,
          {
            kind: 'person',
            id: `scopes-${randomUUID()}`,
            organisationId: randomUUID(),
            roles: ['org_admin', 'network_admin'],
            permissions: [],
            scopes: [...scopes],
          } as never,
          {
            issuer: TEST_ISSUER,
            audience: [...NETWORK_AUDIENCES],
            now: Math.floor(Date.now() / 1000),
            jti: randomUUID(),
          },
        )
      ).accessToken,
    head: () => head(),
  }));
});
