import { describe, expect, it } from 'vitest';
import { loadOpenApi } from '@estia/contracts';
import { ROLE_SCOPES, SCOPES, SCOPE_NAMES, scopesForRoles } from '@estia/infra/auth/scopes.js';
import { operationsOf } from '@estia/infra/http/operationSecurity.js';
import { API_SCOPES } from '../domain/apiClient/apiClient.js';

const common = loadOpenApi('registry') as unknown as {
  components: { securitySchemes: { oauth2: { flows: { clientCredentials: { scopes: Record<string, string> } } } } };
};

describe('scopes: one vocabulary, from the contract to the tokens', () => {
  it('the OAuth2 scheme of the contract lists exactly the scopes the registry issues', () => {
    expect(common.components.securitySchemes.oauth2.flows.clientCredentials.scopes).toEqual(SCOPES);
  });

  it('every scope an operation names exists, and every issued scope is needed by some operation', () => {
    const named = new Set(
      (['registry', 'referrals', 'matching', 'insights'] as const).flatMap((service) =>
        operationsOf(loadOpenApi(service) as unknown as Record<string, unknown>).flatMap((op) =>
          op.alternatives.flat(),
        ),
      ),
    );
    expect([...named].filter((scope) => !SCOPE_NAMES.includes(scope as never))).toEqual([]);
    expect(SCOPE_NAMES.filter((scope) => !named.has(scope))).toEqual([]);
  });

  it('API clients may be granted only network scopes, never the network, audit or report ones', () => {
    expect(API_SCOPES.filter((scope) => !SCOPE_NAMES.includes(scope))).toEqual([]);
    for (const reserved of ['network:admin', 'audit:read', 'reports:read', 'clients:erase', 'insights:read'])
      expect(API_SCOPES).not.toContain(reserved);
  });

  it('least privilege: an org admin reads no case file, only auditors read audit, only DPOs erase', () => {
    expect(ROLE_SCOPES.org_admin).not.toContain('clients:read');
    expect(ROLE_SCOPES.org_admin).not.toContain('referrals:read');
    const holders = (scope: string) =>
      Object.entries(ROLE_SCOPES)
        .filter(([, scopes]) => (scopes as readonly string[]).includes(scope))
        .map(([role]) => role);
    expect(holders('audit:read')).toEqual(['auditor']);
    expect(holders('clients:erase')).toEqual(['data_protection_officer']);
    expect(holders('network:admin')).toEqual(['network_admin']);
    expect(holders('webhooks:manage')).toEqual(['org_admin']);
  });

  it('gives a funder the network figures and nothing else; network administrators read them too', () => {
    expect(scopesForRoles(['funder'])).toEqual(['insights:read']);
    expect(scopesForRoles(['network_admin'])).toContain('insights:read');
    for (const role of ['org_admin', 'referral_officer', 'job_coach', 'data_protection_officer', 'auditor'] as const)
      expect(scopesForRoles([role])).not.toContain('insights:read');
  });
});
