import { describe, expect, it } from 'vitest';
import { API_SCOPES } from '../domain/apiClient/apiClient.js';
import { scopesForRoles } from './scopes.js';

describe('scopes of a person', () => {
  it('gives a funder the network figures and nothing else', () => {
    expect(scopesForRoles(['funder'])).toEqual(['insights:read']);
  });

  it('lets the network administrator read the figures too, and no organisation role', () => {
    expect(scopesForRoles(['network_admin'])).toContain('insights:read');
    for (const role of ['org_admin', 'referral_officer', 'job_coach', 'data_protection_officer', 'auditor'] as const)
      expect(scopesForRoles([role])).not.toContain('insights:read');
  });

  it('never lets an API client be created with the figures scope', () => {
    expect(API_SCOPES as readonly string[]).not.toContain('insights:read');
  });
});
