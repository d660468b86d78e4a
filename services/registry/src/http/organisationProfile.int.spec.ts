import { NETWORK_AUDIENCES } from '@estia/infra/auth/tokenVerifier.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { validateEventData } from '@estia/contracts';
import type { components } from '@estia/contracts/generated/openapi.registry.js';
import { tokenForPerson } from '../application/tokens.js';
import { demoNetwork } from '../demo/demoData.js';
import type { Role } from '../domain/shared/actor.js';
import { organisationStreamId } from '../domain/organisation/organisation.js';
import { catchUpRegistryReadModels } from '../projections/registryProjections.js';
import { startRegistryTestApp, TEST_ISSUER, type RegistryTestApp } from './registryTestApp.js';

type Schemas = components['schemas'];
const organisation = demoNetwork().organisations[2]!;
const { kind: _kind, legalIdentifier: _id, country: _country, ...own } = organisation.profile;
const renamed: Schemas['OrganisationProfileChanges'] = {
  ...own,
  name: 'Αλληλεγγύη Πάτρας',
  contact: { email: 'office@example.org', website: 'https://example.org/patras' },
};

describe('the organisation keeps its own profile up to date', () => {
  let t: RegistryTestApp;
  let token: string;
  beforeAll(async () => {
    t = await startRegistryTestApp();
    token = await tokenFor('org_admin');
  });
  afterAll(async () => t?.close());

  async function tokenFor(role: Role, organisationId = organisation.organisationId) {
    const { accessToken } = await tokenForPerson(
      { issuer: TEST_ISSUER, audiences: NETWORK_AUDIENCES, keyRing: () => t.ring },
      { principalId: `person-${role}`, organisationId, roles: [role] },
    );
    return accessToken;
  }
  const url = `/v1/organisations/${organisation.organisationId}`;
  const read = async () => {
    const response = await t.app.inject({ method: 'GET', url, headers: { authorization: `Bearer ${token}` } });
    expect(response.statusCode).toBe(200);
    return { etag: response.headers.etag as string, record: response.json() as Schemas['OrganisationRecord'] };
  };
  const put = (profile: unknown, ifMatch?: string) =>
    t.app.inject({
      method: 'PUT',
      url: `${url}/profile`,
      headers: { authorization: `Bearer ${token}`, ...(ifMatch ? { 'if-match': ifMatch } : {}) },
      payload: { profile },
    });

  it('saves the edit made on what was read, and every reader of the directory sees it', async () => {
    const before = await read();
    expect(before.etag).toMatch(/^"\d+"$/);
    const saved = await put(renamed, before.etag);
    expect(saved.statusCode, saved.body).toBe(204);
    expect(saved.headers.etag).not.toBe(before.etag);

    const after = await read();
    expect(after.etag).toBe(saved.headers.etag);
    expect(after.record.profile).toEqual({ ...organisation.profile, ...renamed });
    await catchUpRegistryReadModels(t.store, t.db);
    const hsds = await t.app.inject({ method: 'GET', url: `/hsds/organizations/${organisation.organisationId}` });
    expect(hsds.json()).toMatchObject({ name: 'Αλληλεγγύη Πάτρας', email: 'office@example.org' });

    // The other services learn the new name from the membership event, which names no person.
    const events = await t.store.readStream(organisationStreamId(organisation.organisationId));
    const told = events.filter((e) => e.type === 'estia.registry.organisation.membership-changed.v1').pop()!;
    expect(told.data).toMatchObject({ change: 'profile_updated', name: 'Αλληλεγγύη Πάτρας', status: 'approved' });
    expect(validateEventData(told.type, told.data)).toMatchObject({ valid: true });
  });

  it('saving the same profile again changes nothing', async () => {
    const before = await read();
    const again = await put(renamed, before.etag);
    expect(again.statusCode).toBe(204);
    expect(again.headers.etag).toBe(before.etag);
  });

  it('an edit made on an older read is refused, not silently overwritten', async () => {
    const stale = await put({ ...renamed, name: 'Someone else' }, '"1"');
    expect(stale.statusCode).toBe(412);
    expect(stale.headers['content-type']).toContain('application/problem+json');
    expect((await read()).record.profile.name).toBe('Αλληλεγγύη Πάτρας');
  });

  it('who the organisation is stays out of the edit, and bad fields are named', async () => {
    const identity = await put({ ...renamed, legalIdentifier: 'EL-000' });
    expect(identity.statusCode).toBe(400);
    expect(JSON.stringify(identity.json())).toContain('legalIdentifier');
    const bad = await put({
      ...renamed,
      contact: { email: 'not-an-address' },
      coordinates: { latitude: 95, longitude: 0 },
    });
    expect(bad.statusCode).toBe(400);
    const pointers = (bad.json() as { errors: { pointer: string }[] }).errors.map((e) => e.pointer);
    expect(pointers).toEqual(expect.arrayContaining(['/body/profile/contact/email']));
    expect((await read()).record.profile).toEqual({ ...organisation.profile, ...renamed });
  });

  it("an officer, or another organisation's admin, may not edit it", async () => {
    for (const other of [
      await tokenFor('referral_officer'),
      await tokenFor('org_admin', demoNetwork().organisations[3]!.organisationId),
    ]) {
      const response = await t.app.inject({
        method: 'PUT',
        url: `${url}/profile`,
        headers: { authorization: `Bearer ${other}` },
        payload: { profile: { ...renamed, name: 'Taken over' } },
      });
      expect(response.statusCode).toBe(403);
    }
    expect((await read()).record.profile.name).toBe('Αλληλεγγύη Πάτρας');
  });
});
