import { randomUUID } from 'node:crypto';
import type { Role } from '@estia/infra/auth/principal.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditReadsStreamId } from '../application/auditReads.js';
import type { Actor } from '../domain/shared/actor.js';
import { startReferralsHarness, type ReferralsHarness } from '../testing/referralsHarness.js';
import { membershipChanged, servicePublished } from '../testing/registryEvents.js';

/**
 * DESIGN §5 "not yours looks exactly like does not exist": for every route that names a case, a
 * stranger's answer about an existing client, referral, consent, thread or access request is the
 * answer about a random id, byte for byte (only the request id and the instance, the URL asked, differ).
 */
const ORG_A = randomUUID(); // registers the client, refers it to B
const ORG_B = randomUUID(); // receives and works the referral
const ORG_C = randomUUID(); // stranger
const ORG_E = randomUUID(); // asked A for access
const HOUSING_AT_B = randomUUID();

const actor = (
  organisationId: string,
  roles: Role[] = ['referral_officer'],
  userId = `user-${organisationId}`,
): Actor => ({
  organisationId,
  userId,
  roles,
});

type Ids = { clientId: string; consentId: string; needId: string; referralId: string; accessRequestId: string };
type Probe = { method: 'GET' | 'POST' | 'DELETE'; url: (ids: Ids) => string; payload?: (ids: Ids) => object };

const reason = { reason: { code: 'test_reason' } };
const PROBES: Record<string, Probe> = {
  'read a client': { method: 'GET', url: (i) => `/v1/clients/${i.clientId}` },
  'correct a client': {
    method: 'POST',
    url: (i) => `/v1/clients/${i.clientId}/personal-data`,
    payload: () => ({ familyName: 'X' }),
  },
  'change a legal status': {
    method: 'POST',
    url: (i) => `/v1/clients/${i.clientId}/legal-status`,
    payload: () => ({ status: 'refugee' }),
  },
  'record a consent': {
    method: 'POST',
    url: (i) => `/v1/clients/${i.clientId}/consents`,
    payload: () => ({
      purpose: 'referral',
      recipient: { serviceCategory: 'legal' },
      scope: ['needs'],
      method: 'written',
    }),
  },
  'withdraw a consent': { method: 'POST', url: (i) => `/v1/clients/${i.clientId}/consents/${i.consentId}/withdraw` },
  'assess a need': {
    method: 'POST',
    url: (i) => `/v1/clients/${i.clientId}/needs`,
    payload: () => ({ category: 'legal', priority: 'low' }),
  },
  'close a need': {
    method: 'POST',
    url: (i) => `/v1/clients/${i.clientId}/needs/${i.needId}/close`,
    payload: () => reason,
  },
  'suggest services': { method: 'GET', url: (i) => `/v1/clients/${i.clientId}/needs/${i.needId}/suggestions` },
  'refer a client': {
    method: 'POST',
    url: () => '/v1/referrals',
    payload: (i) => ({ clientId: i.clientId, serviceId: HOUSING_AT_B, share: ['needs'] }),
  },
  'read a referral': { method: 'GET', url: (i) => `/v1/referrals/${i.referralId}` },
  'accept a referral': { method: 'POST', url: (i) => `/v1/referrals/${i.referralId}/accept` },
  'cancel a referral': { method: 'POST', url: (i) => `/v1/referrals/${i.referralId}/cancel`, payload: () => reason },
  'read a thread': { method: 'GET', url: (i) => `/v1/referrals/${i.referralId}/messages` },
  'post to a thread': {
    method: 'POST',
    url: (i) => `/v1/referrals/${i.referralId}/messages`,
    payload: () => ({ text: 'hello' }),
  },
  'read an access request': { method: 'GET', url: (i) => `/v1/access-requests/${i.accessRequestId}` },
  'approve an access request': {
    method: 'POST',
    url: (i) => `/v1/access-requests/${i.accessRequestId}/approve`,
    payload: () => ({ consent: { purpose: 'x', scope: ['needs'], method: 'written' } }),
  },
  'decline an access request': {
    method: 'POST',
    url: (i) => `/v1/access-requests/${i.accessRequestId}/decline`,
    payload: () => reason,
  },
  'withdraw an access request': { method: 'POST', url: (i) => `/v1/access-requests/${i.accessRequestId}/withdraw` },
};

const random = (): Ids => ({
  clientId: randomUUID(),
  consentId: randomUUID(),
  needId: randomUUID(),
  referralId: randomUUID(),
  accessRequestId: randomUUID(),
});

/** The answer with what legitimately differs between two requests taken out. */
const comparable = (body: string): string => {
  const { instance: _instance, requestId: _requestId, ...rest } = JSON.parse(body) as Record<string, unknown>;
  return JSON.stringify(rest);
};

describe('no oracles: a stranger learns nothing from the answer about an id', () => {
  let h: ReferralsHarness;
  let real: Ids;
  let erased: Ids;

  /** A case as the tests need it: registered by A, referred to and accepted by B, E asked for access. */
  const aCase = async (familyName: string): Promise<Ids> => {
    const a = { actor: actor(ORG_A) };
    const clientId = randomUUID();
    const personal = {
      givenNames: 'Nour',
      familyName,
      dateOfBirth: '1988-11-23',
      nationalities: ['SY'],
      languages: [{ language: 'ar', level: 'C2' }],
      legalStatus: { status: 'asylum_seeker' },
    };
    await h.app.registerClient(a, { clientId, personal: personal as never, confirmedNew: true });
    const consentId = randomUUID();
    await h.app.clientCommand(a, {
      type: 'GiveConsent',
      clientId,
      consentId,
      purpose: 'referral',
      recipient: { serviceCategory: 'housing' },
      scope: ['needs'],
      method: 'written',
      expiresAt: null,
    });
    const needId = randomUUID();
    await h.app.needsCommand(a, {
      type: 'AssessNeed',
      clientId,
      needId,
      assessmentId: randomUUID(),
      category: 'housing',
      priority: 'high',
    });
    const referralId = randomUUID();
    await h.app.sendReferral(a, { referralId, clientId, serviceId: HOUSING_AT_B, share: ['needs'] });
    await h.app.referralCommand({ actor: actor(ORG_B) }, { type: 'AcceptReferral', referralId });
    await h.app.referralCommand(
      { actor: actor(ORG_B) },
      { type: 'PostReferralMessage', referralId, messageId: randomUUID(), personal: { text: 'see you' } },
    );
    const e = actor(ORG_E);
    const answer = await h.http.inject({
      method: 'POST',
      url: '/v1/clients',
      headers: await h.headers(ORG_E, e.roles as Role[], e.userId),
      payload: { personal },
    });
    const token = answer.json<{ accessRequest: { token: string } }>().accessRequest.token;
    const accessRequestId = randomUUID();
    const last = await h.app.requestAccess(
      { actor: e },
      { accessRequestId, token, purpose: 'continuity_of_care', scope: ['needs'] },
    );
    await h.projector.waitFor(last.lastPosition!);
    return { clientId, consentId, needId, referralId, accessRequestId };
  };

  beforeAll(async () => {
    h = await startReferralsHarness({
      name: 'oracles',
      facts: [
        membershipChanged(ORG_A),
        membershipChanged(ORG_B),
        membershipChanged(ORG_C),
        membershipChanged(ORG_E),
        servicePublished({ serviceId: HOUSING_AT_B, organisationId: ORG_B, category: 'housing' }),
      ],
    });
    real = await aCase('Khatib');
    erased = await aCase('Mansour');
    const gone = await h.app.eraseClient(
      { actor: actor(ORG_A, ['data_protection_officer']) },
      { clientId: erased.clientId, reason: { code: 'data_subject_request' } },
    );
    await h.projector.waitFor(gone.lastPosition!);
  });
  afterAll(async () => h?.close());

  const ask = async (probe: Probe, ids: Ids, organisationId: string, roles: Role[] = ['referral_officer']) =>
    h.http.inject({
      method: probe.method,
      url: probe.url(ids),
      headers: { ...(await h.headers(organisationId, roles)), 'idempotency-key': randomUUID() },
      ...(probe.payload ? { payload: probe.payload(ids) } : {}),
    });

  it.each(Object.entries(PROBES))('%s: the same 404 for an existing and a random id', async (_name, probe) => {
    const existing = await ask(probe, real, ORG_C);
    const made = await ask(probe, random(), ORG_C);
    expect(existing.statusCode, existing.body).toBe(404);
    expect(made.statusCode, made.body).toBe(404);
    expect(comparable(existing.body)).toBe(comparable(made.body));
    expect(existing.headers['content-type']).toBe(made.headers['content-type']);
  });

  it.each(Object.entries(PROBES).filter(([, p]) => p.url(random()).startsWith('/v1/clients/')))(
    '%s on an erased client: 410 to its former holders, a random id’s 404 to a stranger',
    async (_name, probe) => {
      for (const holder of [ORG_A, ORG_B]) {
        const told = await ask(probe, erased, holder);
        expect(told.statusCode, told.body).toBe(410);
        expect(told.json()).toMatchObject({ code: 'GONE', clientId: erased.clientId, erasedAt: expect.any(String) });
      }
      const stranger = await ask(probe, erased, ORG_C);
      expect(comparable(stranger.body)).toBe(comparable((await ask(probe, random(), ORG_C)).body));
    },
  );

  it('erasure by a stranger’s data protection officer: the same 404 as for a random client', async () => {
    const erase: Probe = { method: 'DELETE', url: (i) => `/v1/clients/${i.clientId}`, payload: () => reason };
    const existing = await ask(erase, real, ORG_C, ['data_protection_officer']);
    const made = await ask(erase, random(), ORG_C, ['data_protection_officer']);
    expect(existing.statusCode).toBe(404);
    expect(comparable(existing.body)).toBe(comparable(made.body));
  });

  it('an auditor’s read of nothing is not recorded as a read', async () => {
    const trail = auditReadsStreamId('user-auditor');
    const auditorHeaders = await h.headers(randomUUID(), ['auditor'], 'user-auditor');
    for (const url of [`/v1/clients/${randomUUID()}`, `/v1/referrals/${randomUUID()}`]) {
      const response = await h.http.inject({ method: 'GET', url, headers: auditorHeaders });
      expect(response.statusCode).toBe(404);
    }
    expect(await h.store.readStream(trail)).toEqual([]);
    const read = await h.http.inject({ method: 'GET', url: `/v1/clients/${real.clientId}`, headers: auditorHeaders });
    expect(read.statusCode).toBe(200);
    expect(await h.store.readStream(trail)).toHaveLength(1);
  });
});
