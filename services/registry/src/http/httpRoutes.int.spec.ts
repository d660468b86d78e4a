import { audienceOf } from '@estia/infra/auth/tokenVerifier.js';
import { afterAll, beforeAll, describe, it, expect } from 'vitest';
import type { FastifyInstance } from 'fastify';
import { validateHsds, type HsdsKind } from '@estia/contracts';
import { createTokenVerifier } from '@estia/infra/auth/tokenVerifier.js';
import type { KeyRing } from '../auth/signingKeys.js';
import { DEMO_CLIENT_SECRET, DEMO_PASSWORD } from '../demo/demoData.js';
import type { seedDemo } from '../demo/seedDemo.js';
import { startRegistryTestApp, type RegistryTestApp } from './registryTestApp.js';

describe('registry HTTP: public HSDS directory and token endpoints', () => {
  let t: RegistryTestApp;
  let app: FastifyInstance;
  let ring: KeyRing;
  let seeded: Awaited<ReturnType<typeof seedDemo>>;
  const issuer = 'https://registry.test';

  beforeAll(async () => {
    t = await startRegistryTestApp();
    ({ app, ring, seeded } = t);
  });
  afterAll(async () => t?.close());

  const get = async (url: string, kind: HsdsKind) => {
    const response = await app.inject({ method: 'GET', url });
    expect(response.statusCode, response.body).toBe(200);
    const body = response.json();
    expect(validateHsds(kind, body)).toEqual([]);
    return body;
  };

  it('every HSDS endpoint answers without a token with bodies that validate', async () => {
    await get('/hsds/', 'api_info');
    const services = await get('/hsds/services?per_page=5', 'services_page');
    expect(services).toMatchObject({ total_items: seeded.services, size: 5, first_page: true });
    await get(`/hsds/services/${services.contents[0].id}`, 'service');
    const orgs = await get('/hsds/organizations?page=2&per_page=10', 'organizations_page');
    expect(orgs).toMatchObject({ total_items: 30, page_number: 2, size: 10 });
    await get(`/hsds/organizations/${orgs.contents[0].id}`, 'organization');
    const taxonomies = await get('/hsds/taxonomies', 'taxonomies_page');
    await get(`/hsds/taxonomies/${taxonomies.contents[0].id}`, 'taxonomy');
    const terms = await get('/hsds/taxonomy_terms?per_page=100', 'taxonomy_terms_page');
    await get(`/hsds/taxonomy_terms/${terms.contents[0].id}`, 'taxonomy_term');
    const sal = await get('/hsds/service_at_locations?per_page=3', 'service_at_locations_page');
    await get(`/hsds/service_at_locations/${sal.contents[0].id}`, 'service_at_location');
  });

  it('filters: taxonomy term (code or uuid, with sub-terms), language, distance', async () => {
    const byCode = await get('/hsds/services?taxonomy_term_id=housing&per_page=100', 'services_page');
    const terms = await get('/hsds/taxonomy_terms?per_page=100', 'taxonomy_terms_page');
    const housingUuid = terms.contents.find((t: { code: string }) => t.code === 'housing').id;
    const byUuid = await get(`/hsds/services?taxonomy_term_id=${housingUuid}&per_page=100`, 'services_page');
    expect(byUuid.contents).toEqual(byCode.contents);
    expect(byCode.total_items).toBeGreaterThan(0);
    const near = await get('/hsds/services?lat=37.9838&lon=23.7275&radius_km=25&per_page=100', 'services_page');
    const distances = near.contents.map((s: { distance_km: number }) => s.distance_km);
    expect(distances.length).toBeGreaterThan(0);
    expect(distances).toEqual([...distances].sort((a: number, b: number) => a - b));
    expect(Math.max(...distances)).toBeLessThanOrEqual(25);
  });

  it('HSDS filters: search, organization_id, modified_after, proximity (nearest first) on services and locations', async () => {
    const all = await get('/hsds/services?per_page=100', 'services_page');
    const word = all.contents[0].name.split(' ')[0];
    const found = await get(
      `/hsds/services?search=${encodeURIComponent(word.toUpperCase())}&per_page=100`,
      'services_page',
    );
    expect(found.total_items).toBeGreaterThan(0);
    expect(found.total_items).toBeLessThanOrEqual(all.total_items);
    const orgId = all.contents[0].organization_id;
    const own = await get(
      `/hsds/service_at_locations?organization_id=${orgId}&per_page=100`,
      'service_at_locations_page',
    );
    expect(own.total_items).toBeGreaterThan(0);
    const future = encodeURIComponent(new Date(Date.now() + 60_000).toISOString());
    expect((await get(`/hsds/services?modified_after=${future}`, 'services_page')).total_items).toBe(0);
    expect((await get('/hsds/services?modified_after=2000-01-01T00:00:00Z', 'services_page')).total_items).toBe(
      all.total_items,
    );
    expect((await get(`/hsds/organizations?modified_after=${future}`, 'organizations_page')).total_items).toBe(0);
    const named = await get('/hsds/organizations?search=a&per_page=100', 'organizations_page');
    expect(named.total_items).toBeGreaterThan(0);
    const byTerm = await get('/hsds/organizations?taxonomy_term_id=housing&per_page=100', 'organizations_page');
    expect(byTerm.total_items).toBeGreaterThan(0);
    expect(byTerm.total_items).toBeLessThan(30);
    for (const path of ['/hsds/services', '/hsds/service_at_locations']) {
      const near = await get(`${path}?proximity=37.9838,23.7275,30&per_page=100`, `${path.slice(6)}_page` as HsdsKind);
      const d = near.contents.map((x: { distance_km: number }) => x.distance_km);
      expect(d.length, path).toBeGreaterThan(0);
      expect(d).toEqual([...d].sort((a: number, b: number) => a - b));
      expect(Math.max(...d)).toBeLessThanOrEqual(30);
    }
    const terms = await get('/hsds/taxonomy_terms?search=shelter', 'taxonomy_terms_page');
    expect(terms.total_items).toBeGreaterThan(0);
    expect(terms.total_items).toBeLessThan(10);
  });

  it('bad queries are problem+json naming the field; unknown ids are 404', async () => {
    const bad = await app.inject({ method: 'GET', url: '/hsds/services?lat=95&lon=23&radius_km=5' });
    expect(bad.statusCode).toBe(400);
    expect(bad.headers['content-type']).toMatch(/application\/problem\+json/);
    expect(JSON.stringify(bad.json())).toContain('lat');
    const term = await app.inject({ method: 'GET', url: '/hsds/services?taxonomy_term_id=spa' });
    expect(term.statusCode).toBe(400);
    expect(
      (await app.inject({ method: 'GET', url: '/hsds/services/00000000-0000-4000-8000-000000000000' })).statusCode,
    ).toBe(404);
  });

  it('client credentials (form body) and sign-in issue tokens verifiable through the published JWKS', async () => {
    const jwks = (await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    expect(jwks.keys[0]).toMatchObject({ kty: 'EC', crv: 'P-256', alg: 'ES256', kid: ring.current.kid });
    expect(jwks.keys[0]).not.toHaveProperty('d');
    const verifier = createTokenVerifier({ jwks, issuer, audience: audienceOf('registry') });

    const form = `grant_type=client_credentials&client_id=${seeded.apiClient.clientId}&client_secret=${encodeURIComponent(DEMO_CLIENT_SECRET)}`;
    const token = await app.inject({
      method: 'POST',
      url: '/oauth/token',
      payload: form,
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(token.statusCode, token.body).toBe(200);
    expect(token.json()).toMatchObject({ token_type: 'Bearer', expires_in: 600 });
    expect(await verifier.verify(token.json().access_token)).toMatchObject({
      clientId: seeded.apiClient.clientId,
      scopes: expect.arrayContaining(['referrals:write']),
    });

    const wrong = await app.inject({
      method: 'POST',
      url: '/oauth/token',
      payload: { grant_type: 'client_credentials', client_id: seeded.apiClient.clientId, client_secret: 'nope' },
    });
    expect(wrong.statusCode).toBe(401);

    const email = seeded.credentials.find((c) => c.roles.includes('org_admin'))!.email;
    const signIn = await app.inject({
      method: 'POST',
      url: '/auth/sign-in',
      payload: { email, password: DEMO_PASSWORD },
    });
    expect(signIn.statusCode, signIn.body).toBe(200);
    expect((await verifier.verify(signIn.json().access_token)).roles).toEqual(['org_admin']);
    const bad = await app.inject({
      method: 'POST',
      url: '/auth/sign-in',
      payload: { email, password: 'not the password' },
    });
    expect(bad.statusCode).toBe(401);
  });

  it("refreshes a person's valid token with their current roles, keeping the sign-in moment; never for clients or the deactivated", async () => {
    const jwks = (await app.inject({ method: 'GET', url: '/.well-known/jwks.json' })).json();
    const verifier = createTokenVerifier({ jwks, issuer, audience: audienceOf('console') });
    const signInAs = async (roles: string) => {
      const email = seeded.credentials.find((c) => c.roles.join(',') === roles && c.organisation !== null)!;
      const answer = await app.inject({
        method: 'POST',
        url: '/auth/sign-in',
        payload: { email: email.email, password: DEMO_PASSWORD },
      });
      expect(answer.statusCode, answer.body).toBe(200);
      return { token: answer.json().access_token as string, organisation: email.organisation };
    };
    const claimsOf = (token: string) => JSON.parse(Buffer.from(token.split('.')[1]!, 'base64url').toString('utf8'));
    const officer = await signInAs('referral_officer');
    const refresh = (token: string) =>
      app.inject({ method: 'POST', url: '/auth/refresh', payload: { access_token: token } });

    const refreshed = await refresh(officer.token);
    expect(refreshed.statusCode, refreshed.body).toBe(200);
    expect(refreshed.headers['cache-control']).toBe('no-store');
    const fresh = refreshed.json().access_token as string;
    expect(fresh).not.toBe(officer.token);
    expect(await verifier.verify(fresh)).toMatchObject({ roles: ['referral_officer'] });
    expect(claimsOf(fresh).auth_time).toBe(claimsOf(officer.token).auth_time);
    expect(claimsOf(fresh).jti).not.toBe(claimsOf(officer.token).jti);

    // Not a token of ours, or an API client's: refused.
    expect((await refresh('not-a-token')).statusCode).toBe(401);
    const form = `grant_type=client_credentials&client_id=${seeded.apiClient.clientId}&client_secret=${encodeURIComponent(DEMO_CLIENT_SECRET)}`;
    const clientToken = (
      await app.inject({
        method: 'POST',
        url: '/oauth/token',
        payload: form,
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      })
    ).json().access_token as string;
    expect((await refresh(clientToken)).statusCode).toBe(401);
    expect((await app.inject({ method: 'POST', url: '/auth/refresh', payload: {} })).statusCode).toBe(400);

    // Deactivated by their admin: the next refresh is refused.
    const adminEmail = seeded.credentials.find(
      (c) => c.roles.includes('org_admin') && c.organisation === officer.organisation,
    )!;
    const admin = (
      await app.inject({
        method: 'POST',
        url: '/auth/sign-in',
        payload: { email: adminEmail.email, password: DEMO_PASSWORD },
      })
    ).json().access_token as string;
    const deactivated = await app.inject({
      method: 'POST',
      url: `/v1/people/${claimsOf(officer.token).sub}/deactivate`,
      headers: { authorization: `Bearer ${admin}` },
      payload: {},
    });
    expect(deactivated.statusCode, deactivated.body).toBeLessThan(300);
    expect((await refresh(fresh)).statusCode).toBe(401);
  });
});
