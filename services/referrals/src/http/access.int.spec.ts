import { randomBytes, randomUUID } from 'node:crypto';
import type { TestIssuer } from '@estia/infra/auth/testIssuer.js';
import type { Role } from '@estia/infra/auth/principal.js';
import type { EventStore } from '@estia/infra/eventStore/types.js';
import type { Projector } from '@estia/infra/projections/projector.js';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditReadsStreamId } from '../application/auditReads.js';
import type { ReferralsApplication } from '../application/referralsApplication.js';
import type { Actor } from '../domain/shared/actor.js';
import { startReferralsHarness, type ReferralsHarness } from '../testing/referralsHarness.js';
import { membershipChanged, servicePublished } from '../testing/registryEvents.js';

/**
 * DESIGN §5 as a table: every route × every role × every relationship to the case. The routes come
 * from the app itself (onRoute), so a route added without rows here fails the first test.
 */
const ORG_A = randomUUID(); // registered the client, sent the referral
const ORG_B = randomUUID(); // receives the referral (accepted, with consent)
const ORG_C = randomUUID(); // another member: no relationship to the case
const HOUSING_AT_B = randomUUID();
const HOUSING_AT_C = randomUUID();
const ORG_D = randomUUID(); // a member the case may be referred on to
const HOUSING_AT_D = randomUUID();

type Who = 'registrar' | 'receiver' | 'stranger' | 'auditor' | 'networkAdmin';
const WHO: readonly Who[] = ['registrar', 'receiver', 'stranger', 'auditor', 'networkAdmin'];
const principal: Record<Who, { organisationId: string; roles: Role[] }> = {
  registrar: { organisationId: ORG_A, roles: ['referral_officer', 'org_admin'] },
  receiver: { organisationId: ORG_B, roles: ['referral_officer'] },
  stranger: { organisationId: ORG_C, roles: ['referral_officer', 'org_admin'] },
  auditor: { organisationId: randomUUID(), roles: ['auditor'] },
  networkAdmin: { organisationId: randomUUID(), roles: ['network_admin'] },
};
const actor = (who: Who): Actor => ({
  organisationId: principal[who].organisationId,
  userId: `user-${who}`,
  roles: principal[who].roles,
});

const personal = () => ({
  givenNames: `Amira${randomBytes(3).toString('hex')}`,
  familyName: 'Haddad',
  dateOfBirth: '1990-05-04',
  nationalities: ['SY'],
  languages: [{ language: 'ar', level: 'C2' }],
  legalStatus: { status: 'asylum_seeker' },
  location: { country: 'GR', region: 'EL30', coordinates: { lat: 37.98, lon: 23.72 } },
});

type Stage = 'requested' | 'accepted' | 'in-progress' | 'on-hold';
interface Case {
  clientId: string;
  consentId: string;
  needId: string;
  referralId: string;
  personal: ReturnType<typeof personal>;
}
type Request = { method: 'GET' | 'POST' | 'DELETE'; url: string; payload?: unknown };
type Allowed = readonly Who[];
interface Row {
  stage?: Stage;
  request: (c: Case) => Request;
  /** Who gets a 2xx; everyone else gets 403/404 (a hidden case reads as not found). */
  allowed: Allowed;
  /** A read of a case: an auditor's read of it must be recorded. */
  auditedRead?: true;
  /** Extra check on allowed answers (lists: only the caller's own referrals). */
  check?: (who: Who, body: unknown, c: Case) => void;
}

const reason = { reason: { code: 'test_reason' } };
const ALL = WHO;
const CASE_READERS: Allowed = ['registrar', 'receiver', 'auditor'];
const PARTIES: Allowed = ['registrar', 'receiver'];

const TABLE: Record<string, Row> = {
  'POST /v1/clients': {
    request: () => ({ method: 'POST', url: '/v1/clients', payload: { personal: personal(), confirmedNew: true } }),
    allowed: ['registrar', 'receiver', 'stranger'],
  },
  'GET /v1/clients/:id': {
    request: (c) => ({ method: 'GET', url: `/v1/clients/${c.clientId}` }),
    allowed: CASE_READERS,
    auditedRead: true,
  },
  'DELETE /v1/clients/:id': {
    request: (c) => ({ method: 'DELETE', url: `/v1/clients/${c.clientId}` }),
    allowed: ['registrar'],
  },
  // By design: whoever holds data that matches the client may link (that is duplicate resolution).
  'POST /v1/clients/:id/links': {
    request: (c) => ({ method: 'POST', url: `/v1/clients/${c.clientId}/links`, payload: { personal: c.personal } }),
    allowed: ['registrar', 'receiver', 'stranger'],
  },
  'POST /v1/clients/:id/personal-data': {
    request: (c) => ({
      method: 'POST',
      url: `/v1/clients/${c.clientId}/personal-data`,
      payload: { familyName: 'Al-Haddad' },
    }),
    allowed: ['registrar'],
  },
  'POST /v1/clients/:id/legal-status': {
    request: (c) => ({ method: 'POST', url: `/v1/clients/${c.clientId}/legal-status`, payload: { status: 'refugee' } }),
    allowed: ['registrar'],
  },
  'POST /v1/clients/:id/consents': {
    request: (c) => ({
      method: 'POST',
      url: `/v1/clients/${c.clientId}/consents`,
      payload: { purpose: 'referral', recipient: { serviceCategory: 'legal' }, scope: ['needs'], method: 'written' },
    }),
    allowed: ['registrar'],
  },
  'POST /v1/clients/:id/consents/:consentId/withdraw': {
    request: (c) => ({ method: 'POST', url: `/v1/clients/${c.clientId}/consents/${c.consentId}/withdraw` }),
    allowed: PARTIES,
  },
  'POST /v1/clients/:id/needs': {
    request: (c) => ({
      method: 'POST',
      url: `/v1/clients/${c.clientId}/needs`,
      payload: { category: 'legal', priority: 'low' },
    }),
    allowed: PARTIES,
  },
  'POST /v1/clients/:id/needs/:needId/reassess': {
    request: (c) => ({
      method: 'POST',
      url: `/v1/clients/${c.clientId}/needs/${c.needId}/reassess`,
      payload: { priority: 'high' },
    }),
    allowed: PARTIES,
  },
  'POST /v1/clients/:id/needs/:needId/close': {
    request: (c) => ({ method: 'POST', url: `/v1/clients/${c.clientId}/needs/${c.needId}/close`, payload: reason }),
    allowed: PARTIES,
  },
  'GET /v1/clients/:id/needs/:needId/suggestions': {
    request: (c) => ({ method: 'GET', url: `/v1/clients/${c.clientId}/needs/${c.needId}/suggestions` }),
    allowed: CASE_READERS,
    auditedRead: true,
  },
  'POST /v1/referrals': {
    request: (c) => ({
      method: 'POST',
      url: '/v1/referrals',
      payload: { clientId: c.clientId, serviceId: HOUSING_AT_D, share: ['needs'] },
    }),
    // The receiver sees the client and the housing consent covers D: it may refer on (as with forward).
    allowed: ['registrar', 'receiver'],
  },
  'GET /v1/referrals': {
    request: () => ({ method: 'GET', url: '/v1/referrals?box=outbox' }),
    allowed: ALL,
    check: (who, body, c) => {
      const ids = (body as { items: { referralId: string }[] }).items.map((r) => r.referralId);
      expect(ids.includes(c.referralId), `${who} outbox`).toBe(who === 'registrar');
    },
  },
  'GET /v1/referrals/counts': { request: () => ({ method: 'GET', url: '/v1/referrals/counts' }), allowed: ALL },
  'GET /v1/referrals/:id': {
    request: (c) => ({ method: 'GET', url: `/v1/referrals/${c.referralId}` }),
    allowed: CASE_READERS,
    auditedRead: true,
  },
  'POST /v1/referrals/:id/accept': {
    stage: 'requested',
    request: (c) => ({ method: 'POST', url: `/v1/referrals/${c.referralId}/accept` }),
    allowed: ['receiver'],
  },
  'POST /v1/referrals/:id/reject': {
    stage: 'requested',
    request: (c) => ({ method: 'POST', url: `/v1/referrals/${c.referralId}/reject`, payload: reason }),
    allowed: ['receiver'],
  },
  'POST /v1/referrals/:id/start': {
    request: (c) => ({ method: 'POST', url: `/v1/referrals/${c.referralId}/start` }),
    allowed: ['receiver'],
  },
  'POST /v1/referrals/:id/hold': {
    request: (c) => ({ method: 'POST', url: `/v1/referrals/${c.referralId}/hold`, payload: reason }),
    allowed: ['receiver'],
  },
  'POST /v1/referrals/:id/resume': {
    stage: 'on-hold',
    request: (c) => ({ method: 'POST', url: `/v1/referrals/${c.referralId}/resume` }),
    allowed: ['receiver'],
  },
  'POST /v1/referrals/:id/complete': {
    stage: 'in-progress',
    request: (c) => ({
      method: 'POST',
      url: `/v1/referrals/${c.referralId}/complete`,
      payload: { outcome: 'need_met' },
    }),
    allowed: ['receiver'],
  },
  'POST /v1/referrals/:id/fail': {
    stage: 'in-progress',
    request: (c) => ({ method: 'POST', url: `/v1/referrals/${c.referralId}/fail`, payload: reason }),
    allowed: ['receiver'],
  },
  'POST /v1/referrals/:id/cancel': {
    request: (c) => ({ method: 'POST', url: `/v1/referrals/${c.referralId}/cancel`, payload: reason }),
    allowed: ['registrar'],
  },
  'POST /v1/referrals/:id/forward': {
    request: (c) => ({
      method: 'POST',
      url: `/v1/referrals/${c.referralId}/forward`,
      payload: { serviceId: HOUSING_AT_C, share: ['needs'], reason: { code: 'better_suited' } },
    }),
    allowed: ['receiver'],
  },
  'POST /v1/referrals/:id/messages': {
    request: (c) => ({ method: 'POST', url: `/v1/referrals/${c.referralId}/messages`, payload: { text: 'hello' } }),
    allowed: PARTIES,
  },
  'GET /v1/referrals/:id/messages': {
    request: (c) => ({ method: 'GET', url: `/v1/referrals/${c.referralId}/messages` }),
    allowed: CASE_READERS,
    auditedRead: true,
  },
  'GET /v1/reports/consent-overrides': {
    request: () => ({ method: 'GET', url: '/v1/reports/consent-overrides' }),
    allowed: ['auditor', 'networkAdmin'],
    auditedRead: true,
  },
};

describe('access: route × role × relationship (DESIGN §5)', () => {
  let h: ReferralsHarness | undefined;
  let store: EventStore;
  let projector: Projector;
  let http: FastifyInstance;
  let issuer: TestIssuer;
  let app: ReferralsApplication;
  const routes: string[] = [];

  beforeAll(async () => {
    h = await startReferralsHarness({
      name: 'access',
      facts: [
        membershipChanged(ORG_A),
        membershipChanged(ORG_B),
        membershipChanged(ORG_C),
        membershipChanged(ORG_D),
        servicePublished({ serviceId: HOUSING_AT_D, organisationId: ORG_D, category: 'housing' }),
        servicePublished({ serviceId: HOUSING_AT_B, organisationId: ORG_B, category: 'housing' }),
        servicePublished({ serviceId: HOUSING_AT_C, organisationId: ORG_C, category: 'housing' }),
      ],
      beforeRoutes: (server) => {
        server.addHook('onRoute', (route) => {
          if (route.config?.public) return;
          for (const method of [route.method].flat()) if (method !== 'HEAD') routes.push(`${method} ${route.url}`);
        });
      },
    });
    ({ store, projector, http, issuer, app } = h);
  });

  afterAll(async () => h?.close());

  /** A fresh case per row, so an allowed change never spoils the next one. */
  const freshCase = async (stage: Stage): Promise<Case> => {
    const a = { actor: actor('registrar') };
    const b = { actor: actor('receiver') };
    const clientId = randomUUID();
    const p = personal();
    await app.registerClient(a, { clientId, personal: p as never, confirmedNew: true });
    const consentId = randomUUID();
    await app.clientCommand(a, {
      type: 'GiveConsent',
      clientId,
      consentId,
      purpose: 'referral',
      recipient: { serviceCategory: 'housing' },
      scope: ['needs', 'languages', 'location', 'legal_status'],
      method: 'written',
      expiresAt: null,
    });
    const needId = randomUUID();
    const assessed = await app.needsCommand(a, {
      type: 'AssessNeed',
      clientId,
      needId,
      assessmentId: randomUUID(),
      category: 'housing',
      priority: 'high',
    });
    await projector.waitFor(assessed.lastPosition!);
    const referralId = randomUUID();
    let last = await app.sendReferral(a, { referralId, clientId, serviceId: HOUSING_AT_B, share: ['needs'], needId });
    const step = async (type: string, extra: Record<string, unknown> = {}) => {
      last = await app.referralCommand(b, { type, referralId, ...extra } as never);
    };
    if (stage !== 'requested') await step('AcceptReferral');
    if (stage === 'in-progress' || stage === 'on-hold') await step('StartReferral');
    if (stage === 'on-hold') await step('PutReferralOnHold', { reason: { code: 'waiting' } });
    await projector.waitFor(last.lastPosition!);
    return { clientId, consentId, needId, referralId, personal: p };
  };

  it('has rows for every route the app serves, and every role and relationship in each', () => {
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.filter((r) => !(r in TABLE))).toEqual([]);
    expect(Object.keys(TABLE).filter((r) => !routes.includes(r))).toEqual([]);
  });

  const cases = Object.entries(TABLE).flatMap(([route, row]) =>
    WHO.map((who) => ({ route, who, row, allowed: row.allowed.includes(who) })),
  );

  it.each(cases)('$route as $who → allowed: $allowed', async ({ who, row, allowed }) => {
    const c = await freshCase(row.stage ?? 'accepted');
    const token = await issuer.sign({ ...principal[who], subject: `user-${who}` });
    const auditTrail = auditReadsStreamId(`user-${who}`);
    const readsBefore = (await store.readStream(auditTrail)).length;
    const { method, url, payload } = row.request(c);
    const response = await http.inject({
      method,
      url,
      headers: { authorization: `Bearer ${token}`, 'idempotency-key': randomUUID() },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    if (allowed) {
      expect(response.statusCode, response.body).toBeLessThan(300);
      row.check?.(who, response.json(), c);
    } else {
      expect([403, 404], response.body).toContain(response.statusCode);
      expect(response.headers['content-type']).toMatch(/problem\+json/);
      expect(response.body).not.toContain(c.personal.givenNames);
    }
    // Every read an auditor makes of a case is itself recorded, before the answer leaves.
    if (who === 'auditor' && row.auditedRead)
      expect((await store.readStream(auditTrail)).length).toBeGreaterThan(readsBefore);
  });
});
