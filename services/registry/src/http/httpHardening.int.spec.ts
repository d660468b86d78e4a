import { randomUUID } from 'node:crypto';
import { hardeningSpecs } from '@estia/infra/testing/httpHardening.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { demoNetwork } from '../demo/demoData.js';
import { organisationStreamId } from '../domain/organisation/organisation.js';
import { startRegistryTestApp, type RegistryTestApp } from './registryTestApp.js';

const profile = demoNetwork().organisations[0]!.profile;

describe('registry: framework errors are problems, paging is bounded, texts are safe, headers are set', () => {
  let t: RegistryTestApp;
  beforeAll(async () => {
    t = await startRegistryTestApp();
  });
  afterAll(async () => t?.close());

  hardeningSpecs(
    () => ({
      inject: async (request) => {
        const r = await t.app.inject(request as never);
        return { statusCode: r.statusCode, headers: r.headers, body: r.body };
      },
      // Applying for membership is public: the text check needs no token.
      auth: async () => ({}),
      write: {
        method: 'POST',
        url: '/v1/organisations',
        body: (name) => ({ profile: { ...profile, name, legalIdentifier: `T-${randomUUID()}` } }),
        pointer: '/body/profile/name',
      },
      list: { url: '/hsds/organizations', parameter: 'page', maximum: 10_000 },
      badUrl: '/hsds/organizations/%E0%A4%A',
      wrongMethod: { method: 'DELETE', url: '/hsds/organizations' },
      listIsPublic: true,
      read: '/hsds/organizations',
    }),
    { write: true, list: true, badUrl: true },
  );

  it('per_page is bounded too, and a page past the last one is an empty page, not an error', async () => {
    const big = await t.app.inject({ method: 'GET', url: '/hsds/organizations?per_page=100000' });
    expect(big.statusCode).toBe(400);
    expect(big.json().errors.map((e: { pointer: string }) => e.pointer)).toContain('/querystring/per_page');
    const last = await t.app.inject({ method: 'GET', url: '/hsds/organizations?page=10000' });
    expect(last.statusCode).toBe(200);
    expect(last.json().contents).toEqual([]);
  });

  it('names are stored in NFC: the same name typed decomposed is the same name', async () => {
    const legalIdentifier = `T-${randomUUID()}`;
    const applied = await t.app.inject({
      method: 'POST',
      url: '/v1/organisations',
      payload: { profile: { ...profile, name: 'Caf\u0065\u0301 Solidarity', legalIdentifier } },
    });
    expect(applied.statusCode, applied.body).toBe(201);
    const events = await t.store.readStream(organisationStreamId(applied.json().organisationId));
    expect(events.length).toBeGreaterThan(0);
    const stored = JSON.stringify(events);
    expect(stored).toContain('Caf\u00e9 Solidarity');
    expect(stored).not.toContain('Caf\u0065\u0301');
  });

  it('JWKS and the directory may be cached; sign-in answers may not', async () => {
    const jwks = await t.app.inject({ method: 'GET', url: '/.well-known/jwks.json' });
    expect(jwks.headers['cache-control']).toMatch(/public/);
    const signIn = await t.app.inject({
      method: 'POST',
      url: '/auth/sign-in',
      payload: { email: 'x@example.org', password: 'wrong-password' },
    });
    expect(signIn.headers['cache-control']).toBe('no-store');
  });
});
