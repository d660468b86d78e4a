import { randomUUID } from 'node:crypto';
import type { Role } from '@estia/infra/auth/principal.js';
import { eventLogHead } from '@estia/infra/testing/eventLogHead.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferralsHarness, type ReferralsHarness } from '../testing/referralsHarness.js';
import { membershipChanged, servicePublished } from '../testing/registryEvents.js';

/**
 * The takeover attempt: an officer of an organisation that never met a client knows their name and
 * date of birth, and has the client's real id. Knowing facts grants nothing; only the holder's
 * approval of an access request, with the client's consent, does.
 */
const HOLDER = randomUUID();
const INTRUDER = randomUUID();
const HOUSING_AT_INTRUDER = randomUUID();

const person = {
  givenNames: 'Amina',
  familyName: 'Haddad',
  dateOfBirth: '1991-07-14',
  nationalities: ['SY'],
  languages: [{ language: 'ar', level: 'C2' }],
  legalStatus: { status: 'asylum_seeker' },
};

describe('takeover: knowing a name, a birth date or an id grants nothing', () => {
  let h: ReferralsHarness;
  let clientId: string;
  let consentId: string;
  let needId: string;
  const as = (organisationId: string, roles: Role[]) => h.headers(organisationId, roles, `user-${roles.join('-')}`);
  const send = async (headers: Record<string, string>, method: string, url: string, payload?: unknown) =>
    h.http.inject({
      method: method as never,
      url,
      headers,
      ...(payload === undefined ? {} : { payload: payload as never }),
    });

  beforeAll(async () => {
    h = await startReferralsHarness({
      name: 'takeover',
      facts: [
        membershipChanged(HOLDER),
        membershipChanged(INTRUDER),
        servicePublished({ serviceId: HOUSING_AT_INTRUDER, organisationId: INTRUDER, category: 'housing' }),
      ],
    });
    const holder = await as(HOLDER, ['referral_officer']);
    const registered = await send(holder, 'POST', '/v1/clients', { personal: person, confirmedNew: true });
    expect(registered.statusCode).toBe(201);
    clientId = registered.json<{ clientId: string }>().clientId;
    const consent = await send(holder, 'POST', `/v1/clients/${clientId}/consents`, {
      purpose: 'referral',
      recipient: { serviceCategory: 'housing' },
      scope: ['needs'],
      method: 'written',
    });
    expect(consent.statusCode).toBe(201);
    consentId = consent.json<{ consentId: string }>().consentId;
    const need = await send(holder, 'POST', `/v1/clients/${clientId}/needs`, { category: 'housing', priority: 'high' });
    expect(need.statusCode).toBe(201);
    needId = need.json<{ needId: string }>().needId;
    const position = await eventLogHead(h.store)();
    await h.projector.waitFor(position);
  });
  afterAll(async () => h?.close());

  const registerAsIntruder = async (personal: Record<string, unknown>) =>
    send(await as(INTRUDER, ['referral_officer']), 'POST', '/v1/clients', { personal });

  it.each([
    ['the same name and date of birth', person],
    ['a misspelled name', { ...person, givenNames: 'Amena', familyName: 'Hadad' }],
    ['another transliteration, other case and accents', { ...person, givenNames: 'AMÍNA', familyName: 'Al-Haddad' }],
  ])('registering %s answers only "may already be known": no id, no data, no score', async (_, personal) => {
    const answer = await registerAsIntruder(personal);
    expect(answer.statusCode).toBe(422);
    expect(answer.headers['content-type']).toMatch(/^application\/problem\+json/);
    const body = answer.json<Record<string, unknown>>();
    expect(body).toMatchObject({ rule: 'possibly_known_in_network' });
    expect(body).not.toHaveProperty('candidates');
    const text = answer.body;
    for (const secret of [clientId, consentId, needId, HOLDER, 'Haddad', person.dateOfBirth, 'asylum'])
      expect(text, `the answer reveals ${secret}`).not.toContain(secret);
    expect(text).not.toMatch(/score|similar/i);
    // An opaque token to ask the holder with, and until when it may be used: nothing else.
    expect(Object.keys(body.accessRequest as object).sort()).toEqual(['expiresAt', 'token']);
  });

  /** Every route that names the client, with a body that would be valid for its holder. */
  const clientRoutes = (id: string): [string, string, unknown?][] => [
    ['GET', `/v1/clients/${id}`],
    ['POST', `/v1/clients/${id}/personal-data`, { familyName: 'Taken' }],
    ['POST', `/v1/clients/${id}/legal-status`, { status: 'refugee', decisionDate: '2026-01-01' }],
    ['POST', `/v1/clients/${id}/consents`, { purpose: 'referral', scope: ['needs'], method: 'written' }],
    ['POST', `/v1/clients/${id}/consents/${consentId}/withdraw`, {}],
    ['POST', `/v1/clients/${id}/needs`, { category: 'housing', priority: 'low' }],
    ['POST', `/v1/clients/${id}/needs/${needId}/reassess`, { priority: 'low' }],
    ['POST', `/v1/clients/${id}/needs/${needId}/close`, { reason: { code: 'resolved' } }],
    ['GET', `/v1/clients/${id}/needs/${needId}/suggestions`],
    ['POST', '/v1/referrals', { clientId: id, serviceId: HOUSING_AT_INTRUDER, share: ['needs'], needId }],
    ['GET', `/v1/audit/clients/${id}/history`],
    ['GET', `/v1/audit/clients/${id}/verify`],
    ['DELETE', `/v1/clients/${id}`, { reason: { code: 'data_subject_request' } }],
  ];

  it.each([
    ['officer', ['referral_officer']],
    ['org admin', ['org_admin']],
    ['data protection officer', ['data_protection_officer']],
    ['job coach', ['job_coach']],
    [
      'officer with every role of its organisation',
      ['referral_officer', 'org_admin', 'data_protection_officer', 'job_coach'],
    ],
  ] as [string, Role[]][])(
    'the intruder as %s cannot read, write or erase the client by any route: the answer of a random id, nothing written',
    async (_, roles) => {
      const intruder = await as(INTRUDER, roles);
      const head = eventLogHead(h.store);
      const before = await head();
      const random = randomUUID();
      const real = clientRoutes(clientId);
      const fake = clientRoutes(random);
      for (let i = 0; i < real.length; i++) {
        const [method, url, payload] = real[i]!;
        const answer = await send(intruder, method, url, payload);
        const decoy = await send(intruder, fake[i]![0], fake[i]![1], fake[i]![2]);
        expect(answer.statusCode, `${method} ${url}`).toBeGreaterThanOrEqual(400);
        expect(answer.statusCode, `${method} ${url} tells the real id from a random one`).toBe(decoy.statusCode);
        expect(answer.body.replaceAll(clientId, random), `${method} ${url}`).toBe(
          decoy.body.replace(
            decoy.json<{ requestId?: string }>().requestId ?? '',
            answer.json<{ requestId?: string }>().requestId ?? '',
          ),
        );
        expect(answer.body).not.toContain('Haddad');
      }
      const search = await send(intruder, 'GET', `/v1/clients?q=${encodeURIComponent('Haddad')}`);
      if (search.statusCode === 200) expect(search.json<{ items: unknown[] }>().items).toEqual([]);
      expect(search.body).not.toContain(clientId);
      expect(await head()).toBe(before);
    },
  );

  it('only an access request approved by the holder, with the client’s consent, opens the case', async () => {
    const intruder = await as(INTRUDER, ['referral_officer']);
    const told = await registerAsIntruder(person);
    const token = told.json<{ accessRequest: { token: string } }>().accessRequest.token;
    const requested = await send(intruder, 'POST', '/v1/access-requests', {
      token,
      purpose: 'continuity_of_care',
      scope: ['needs'],
    });
    expect(requested.statusCode).toBe(201);
    const accessRequestId = requested.json<{ accessRequestId: string }>().accessRequestId;
    // Asking is not being given.
    expect((await send(intruder, 'GET', `/v1/clients/${clientId}`)).statusCode).toBe(404);
    // The requester cannot approve its own request.
    const selfApproved = await send(intruder, 'POST', `/v1/access-requests/${accessRequestId}/approve`, {
      consent: { purpose: 'continuity_of_care', scope: ['needs'], method: 'written' },
    });
    expect(selfApproved.statusCode).toBeGreaterThanOrEqual(400);
    expect((await send(intruder, 'GET', `/v1/clients/${clientId}`)).statusCode).toBe(404);

    const holder = await as(HOLDER, ['referral_officer']);
    const approved = await send(holder, 'POST', `/v1/access-requests/${accessRequestId}/approve`, {
      consent: { purpose: 'continuity_of_care', scope: ['needs'], method: 'written' },
    });
    expect(approved.statusCode).toBe(204);
    await h.projector.waitFor(await eventLogHead(h.store)());
    const opened = await send(intruder, 'GET', `/v1/clients/${clientId}`);
    expect(opened.statusCode).toBe(200);
    expect(opened.json<{ access: string }>().access).not.toBe('registered');
    // Access is not ownership: erasure stays with the holder's data protection officer.
    const erase = await send(await as(INTRUDER, ['data_protection_officer']), 'DELETE', `/v1/clients/${clientId}`, {
      reason: { code: 'data_subject_request' },
    });
    expect(erase.statusCode).toBeGreaterThanOrEqual(400);
  });
});
