import { describe, it, expect } from 'vitest';
import { ORGANISATION_KINDS, validateProfile } from '../domain/organisation/organisation.js';
import { validateServiceDetails } from '../domain/service/serviceValidation.js';
import { demoNetwork } from './demoData.js';

describe('demo network', () => {
  const network = demoNetwork();
  it('is deterministic', () => expect(JSON.stringify(demoNetwork())).toBe(JSON.stringify(network)));
  it('another seed gives another network', () =>
    expect(JSON.stringify(demoNetwork(7))).not.toBe(JSON.stringify(network)));
  it('has about 30 organisations of every kind, every role, unique ids and e-mails', () => {
    expect(network.organisations).toHaveLength(30);
    expect(new Set(network.organisations.map((o) => o.profile.kind))).toEqual(new Set(ORGANISATION_KINDS));
    const people = [...network.networkStaff, ...network.organisations.flatMap((o) => o.people)];
    const roles = new Set(people.flatMap((p) => [...p.roles, ...p.permissions]));
    for (const role of [
      'org_admin',
      'referral_officer',
      'job_coach',
      'data_protection_officer',
      'network_admin',
      'auditor',
      'funder',
      'consent_override',
    ])
      expect(roles).toContain(role);
    for (const org of network.organisations)
      expect(
        org.people.filter((p) => p.roles.includes('data_protection_officer')),
        org.profile.name,
      ).toHaveLength(1);
    expect(new Set(people.map((p) => p.email)).size).toBe(people.length);
    const ids = [
      ...network.organisations.map((o) => o.organisationId),
      ...network.organisations.flatMap((o) => o.services.map((s) => s.serviceId)),
    ];
    expect(new Set(ids).size).toBe(ids.length);
  });
  it('passes the domain validation it will meet', () => {
    for (const org of network.organisations) {
      validateProfile(org.profile);
      for (const s of org.services) validateServiceDetails(s.details, s.capacity);
    }
  });
});
