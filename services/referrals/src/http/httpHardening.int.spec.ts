import { randomUUID } from 'node:crypto';
import { hardeningSpecs } from '@estia/infra/testing/httpHardening.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferralsHarness, type ReferralsHarness } from '../testing/referralsHarness.js';
import { membershipChanged } from '../testing/registryEvents.js';

const ORG = randomUUID();
const personal = (familyName: string) => ({
  givenNames: 'Amira',
  familyName,
  dateOfBirth: '1990-04-02',
  nationalities: ['SY'],
  languages: [{ language: 'ar', level: 'C2' }],
  legalStatus: { status: 'asylum_seeker' },
  location: { country: 'GR', region: 'EL30' },
});

describe('referrals: framework errors are problems, paging is bounded, texts are safe, headers are set', () => {
  let h: ReferralsHarness;
  beforeAll(async () => {
    h = await startReferralsHarness({ name: 'hardening', facts: [membershipChanged(ORG)] });
  });
  afterAll(async () => h?.close());

  hardeningSpecs(
    () => ({
      inject: async (request) => {
        const r = await h.http.inject(request as never);
        return { statusCode: r.statusCode, headers: r.headers, body: r.body };
      },
      auth: () => h.headers(ORG, ['referral_officer']),
      write: {
        method: 'POST',
        url: '/v1/clients',
        body: (familyName) => ({ personal: personal(familyName) }),
        pointer: '/body/personal/familyName',
      },
      list: { url: '/v1/clients', parameter: 'limit', maximum: 200 },
      badUrl: '/v1/clients/%E0%A4%A',
      wrongMethod: { method: 'PUT', url: '/v1/clients' },
      read: '/v1/clients',
    }),
    { write: true, list: true, badUrl: true },
  );

  it('a family name typed decomposed is found by its composed form (stored and searched in NFC)', async () => {
    const headers = await h.headers(ORG, ['referral_officer']);
    const family = `Mu\u0308ller${randomUUID().slice(0, 4).replace(/[0-9]/g, 'x')}`;
    const registered = await h.http.inject({
      method: 'POST',
      url: '/v1/clients',
      headers,
      payload: { personal: personal(family), confirmedNew: true },
    });
    expect(registered.statusCode, registered.body).toBe(201);
    const read = await h.http.inject({ method: 'GET', url: `/v1/clients/${registered.json().clientId}`, headers });
    expect(read.statusCode, read.body).toBe(200);
    expect(read.body).toContain(family.normalize('NFC'));
    expect(read.body).not.toContain('Mu\u0308ller');
  });
});
