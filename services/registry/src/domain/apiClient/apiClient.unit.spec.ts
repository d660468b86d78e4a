import { describe, it } from 'vitest';
import { DeciderSpecification } from '@estia/infra/testing/givenWhenThen.js';
import type { Actor } from '../shared/actor.js';
import { apiClientDecider, type ApiClientEvent } from './apiClient.js';

const spec = DeciderSpecification.for(apiClientDecider);
const now = '2025-03-01T10:00:00.000Z';
const clientId = 'client-1';
const organisationId = 'org-1';
const orgAdmin: Actor = { principalId: 'p-1', organisationId, roles: ['org_admin'] };
const officer: Actor = { principalId: 'p-2', organisationId, roles: ['referral_officer'] };
const networkAdmin: Actor = { principalId: 'na', roles: ['network_admin'] };
const h1 = 'sha256:'.padEnd(71, '1');
const h2 = 'sha256:'.padEnd(71, '2');

const created: ApiClientEvent = {
  type: 'ApiClientCreated',
  data: {
    clientId,
    organisationId,
    name: 'Case system',
    scopes: ['referrals:read', 'referrals:write'],
    secretHash: h1,
    createdAt: now,
    createdBy: 'p-1',
  },
};
const revoked: ApiClientEvent = {
  type: 'ApiClientRevoked',
  data: { clientId, reason: 'leaked', revokedAt: now, revokedBy: 'na' },
};
const create = {
  type: 'CreateApiClient',
  clientId,
  organisationId,
  name: ' Case system ',
  scopes: ['referrals:read', 'referrals:write', 'referrals:read'],
  secretHash: h1,
  now,
  actor: orgAdmin,
} as const;

describe('API clients', () => {
  it('an org admin creates a client; only the hash is stored, scopes de-duplicated', () =>
    spec.given([]).when(create).then([created]));
  it('a referral officer may not', () =>
    spec
      .given([])
      .when({ ...create, actor: officer })
      .thenThrows('FORBIDDEN'));
  it('unknown scopes are refused', () =>
    spec
      .given([])
      .when({ ...create, scopes: ['root' as 'directory:read'] })
      .thenThrows('VALIDATION_FAILED', /\/body\/scopes\/0/));
  it('rotates the secret', () =>
    spec
      .given([created])
      .when({ type: 'RotateApiClientSecret', clientId, secretHash: h2, now, actor: orgAdmin })
      .then([
        { type: 'ApiClientSecretRotated', data: { clientId, secretHash: h2, rotatedAt: now, rotatedBy: 'p-1' } },
      ]));
  it('a network admin revokes', () =>
    spec
      .given([created])
      .when({ type: 'RevokeApiClient', clientId, reason: 'leaked', now, actor: networkAdmin })
      .then([revoked]));
  it('a revoked client cannot be rotated', () =>
    spec
      .given([created, revoked])
      .when({ type: 'RotateApiClientSecret', clientId, secretHash: h2, now, actor: orgAdmin })
      .thenThrows('ILLEGAL_TRANSITION', /revoked/));
  it('cannot be created twice', () =>
    spec
      .given([created])
      .when(create)
      .thenThrows('ILLEGAL_TRANSITION', /active/));
});
