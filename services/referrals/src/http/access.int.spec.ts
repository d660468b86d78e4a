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
import { tableCoverage } from '@estia/infra/testing/securityTable.js';
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
const ORG_E = randomUUID(); // met the client too: asked the holder for access, which was approved

type Who =
  | 'registrar'
  | 'registrarAdmin'
  | 'registrarDpo'
  | 'registrarCoach'
  | 'receiver'
  | 'granted'
  | 'stranger'
  | 'auditor'
  | 'networkAdmin';
const WHO: readonly Who[] = [
  'registrar',
  'registrarAdmin',
  'registrarDpo',
  'registrarCoach',
  'receiver',
  'granted',
  'stranger',
  'auditor',
  'networkAdmin',
];
const principal: Record<Who, { organisationId: string; roles: Role[] }> = {
  registrar: { organisationId: ORG_A, roles: ['referral_officer'] },
  // The same organisation, other roles: administration, erasure and job coaching are not case work.
  registrarAdmin: { organisationId: ORG_A, roles: ['org_admin'] },
  registrarDpo: { organisationId: ORG_A, roles: ['data_protection_officer'] },
  registrarCoach: { organisationId: ORG_A, roles: ['job_coach'] },
  receiver: { organisationId: ORG_B, roles: ['referral_officer'] },
  granted: { organisationId: ORG_E, roles: ['referral_officer'] },
  stranger: { organisationId: ORG_C, roles: ['referral_officer', 'org_admin'] },
  auditor: { organisationId: randomUUID(), roles: ['auditor'] },
  networkAdmin: { organisationId: randomUUID(), roles: ['network_admin'] },
};
const actor = (who: Who): Actor => ({
  organisationId: principal[who].organisationId,
  userId: `user-${who}`,
  roles: principal[who].roles,
});

/** Letters only (names are compared by their letters): a family name no other case shares. */
const uniqueName = (): string =>
  [...randomBytes(6)].map((b, i) => String.fromCharCode((i === 0 ? 65 : 97) + (b % 26))).join('');
const personal = () => ({
  givenNames: 'Amira',
  familyName: uniqueName(),
  dateOfBirth: new Date(Date.UTC(1950, 0, 1) + (randomBytes(2).readUInt16BE() % 18_000) * 86_400_000)
    .toISOString()
    .slice(0, 10),
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
  /** ORG_E's request: approved, unless the row asks for it to be left waiting. */
  accessRequestId: string;
  personal: ReturnType<typeof personal>;
}
type Request = { method: 'GET' | 'POST' | 'DELETE'; url: string; payload?: unknown };
type Allowed = readonly Who[];
interface Row {
  stage?: Stage;
  /** Leave ORG_E's access request waiting for an answer. */
  accessRequest?: 'requested';
  request: (c: Case, who: Who) => Request | Promise<Request>;
  /** Who gets a 2xx; everyone else gets 403/404 (a hidden case reads as not found), unless `refusedWith` says. */
  allowed: Allowed;
  refusedWith?: Partial<Record<Who, number>>;
  /** A read of a case: an auditor's read of it must be recorded. */
  auditedRead?: true;
  /** Extra check on allowed answers (lists: only the caller's own referrals). */
  check?: (who: Who, body: unknown, c: Case) => void;
}

const reason = { reason: { code: 'test_reason' } };
const CASE_READERS: Allowed = ['registrar', 'receiver', 'granted', 'auditor'];
const PARTIES: Allowed = ['registrar', 'receiver', 'granted'];
const OFFICERS: Allowed = ['registrar', 'receiver', 'granted', 'stranger'];
/** A referral is seen by its sender and its receiver (and auditors), not by others with access to the client. */
const REFERRAL_READERS: Allowed = ['registrar', 'receiver', 'auditor'];
const REFERRAL_PARTIES: Allowed = ['registrar', 'receiver'];

/** Set once the app is up (the table below is built before). */
let tokenOfRef: (who: Who, p: ReturnType<typeof personal>) => Promise<string> = () => {
  throw new Error('the app is not started');
};
const tokenOf = (who: Who, p: ReturnType<typeof personal>) => tokenOfRef(who, p);

/** Lists are the caller's own: the case's row shows for exactly these. */
const listedFor =
  (whom: readonly Who[], id: (c: Case) => string, field: 'clientId' | 'accessRequestId') =>
  (who: Who, body: unknown, c: Case) => {
    const ids = (body as { items: Record<string, string>[] }).items.map((r) => r[field]);
    expect(ids.includes(id(c)), `${who} sees ${field}`).toBe(whom.includes(who));
  };

const TABLE: Record<string, Row> = {
  // The auditors' desk and the reminders (audit/auditRoutes.ts, mounted as main.ts mounts them).
  'GET /v1/audit/clients/:id/history': {
    request: (c) => ({ method: 'GET', url: `/v1/audit/clients/${c.clientId}/history` }),
    allowed: ['auditor'],
    auditedRead: true,
  },
  'GET /v1/audit/clients/:id/verify': {
    request: (c) => ({ method: 'GET', url: `/v1/audit/clients/${c.clientId}/verify` }),
    allowed: ['auditor'],
  },
  'GET /v1/audit/reads': { request: () => ({ method: 'GET', url: '/v1/audit/reads' }), allowed: ['auditor'] },
  // The registering organisation's officer: a reminder names its client, so nobody else sees them.
  'GET /v1/reminders': {
    request: (c) => ({ method: 'GET', url: `/v1/reminders?clientId=${c.clientId}` }),
    allowed: ['registrar'],
  },
  'POST /v1/clients': {
    request: () => ({ method: 'POST', url: '/v1/clients', payload: { personal: personal(), confirmedNew: true } }),
    allowed: OFFICERS,
  },
  // The caseload search finds only the organisation's own clients (registered, or access granted).
  'GET /v1/clients': {
    request: (c) => ({ method: 'GET', url: `/v1/clients?q=${encodeURIComponent(c.personal.familyName)}` }),
    allowed: [...OFFICERS, 'registrarDpo'],
    check: listedFor(['registrar', 'registrarDpo', 'granted'], (c) => c.clientId, 'clientId'),
  },
  'GET /v1/clients/:id': {
    request: (c) => ({ method: 'GET', url: `/v1/clients/${c.clientId}` }),
    // The job coach: only what the job-matching consent shares.
    allowed: [...CASE_READERS, 'registrarCoach'],
    auditedRead: true,
    check: (who, body) => {
      const view = body as {
        access: string;
        personal: Record<string, unknown>;
        needs: unknown[];
        referrals: unknown[];
      };
      if (who !== 'registrarCoach') return;
      expect(view.access).toBe('job_matching');
      expect(Object.keys(view.personal).sort()).toEqual(
        ['dateOfBirth', 'familyName', 'givenNames', 'legalStatus', 'location'].sort(),
      );
      expect([view.needs, view.referrals]).toEqual([[], []]);
    },
  },
  'DELETE /v1/clients/:id': {
    request: (c) => ({
      method: 'DELETE',
      url: `/v1/clients/${c.clientId}`,
      payload: { reason: { code: 'data_subject_request' } },
    }),
    allowed: ['registrarDpo'],
  },
  'GET /v1/erasure-notices': {
    request: () => ({ method: 'GET', url: '/v1/erasure-notices' }),
    allowed: [...OFFICERS, 'registrarDpo'],
  },
  // With the token of the registration answer, issued to this very officer.
  'POST /v1/access-requests': {
    request: async (c, who) => ({
      method: 'POST',
      url: '/v1/access-requests',
      payload: { token: await tokenOf(who, c.personal), purpose: 'continuity_of_care', scope: ['needs'] },
    }),
    // Officers that do not hold the case get a token; the holder and ORG_E (granted) are told of their own candidate.
    allowed: ['receiver', 'stranger'],
    refusedWith: { registrar: 422, granted: 422 },
  },
  'GET /v1/access-requests': {
    request: () => ({ method: 'GET', url: '/v1/access-requests?box=incoming' }),
    allowed: OFFICERS,
    check: listedFor(['registrar'], (c) => c.accessRequestId, 'accessRequestId'),
  },
  'GET /v1/access-requests/:id': {
    request: (c) => ({ method: 'GET', url: `/v1/access-requests/${c.accessRequestId}` }),
    allowed: ['registrar', 'granted'],
  },
  'POST /v1/access-requests/:id/approve': {
    accessRequest: 'requested',
    request: (c) => ({
      method: 'POST',
      url: `/v1/access-requests/${c.accessRequestId}/approve`,
      payload: { consent: { purpose: 'continuity_of_care', scope: ['needs'], method: 'written' } },
    }),
    allowed: ['registrar'],
  },
  'POST /v1/access-requests/:id/decline': {
    accessRequest: 'requested',
    request: (c) => ({ method: 'POST', url: `/v1/access-requests/${c.accessRequestId}/decline`, payload: reason }),
    allowed: ['registrar'],
  },
  'POST /v1/access-requests/:id/withdraw': {
    accessRequest: 'requested',
    request: (c) => ({ method: 'POST', url: `/v1/access-requests/${c.accessRequestId}/withdraw` }),
    allowed: ['granted'],
  },
  'POST /v1/access-requests/:id/revoke': {
    request: (c) => ({ method: 'POST', url: `/v1/access-requests/${c.accessRequestId}/revoke`, payload: reason }),
    allowed: ['registrar'],
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
    // The receiver of the accepted referral may record the client's withdrawal; access alone does not.
    allowed: REFERRAL_PARTIES,
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
    // Receiver and granted organisation see the client and the housing consent covers D: they may refer on.
    allowed: ['registrar', 'receiver', 'granted'],
  },
  'GET /v1/referrals': {
    request: () => ({ method: 'GET', url: '/v1/referrals?box=outbox' }),
    allowed: OFFICERS,
    check: (who, body, c) => {
      const ids = (body as { items: { referralId: string }[] }).items.map((r) => r.referralId);
      expect(ids.includes(c.referralId), `${who} outbox`).toBe(who === 'registrar');
    },
  },
  // The own organisation's figures: for those who read referrals (the scope referrals:read).
  'GET /v1/referrals/counts': {
    request: () => ({ method: 'GET', url: '/v1/referrals/counts' }),
    allowed: [...OFFICERS, 'auditor'],
  },
  'GET /v1/referrals/:id': {
    request: (c) => ({ method: 'GET', url: `/v1/referrals/${c.referralId}` }),
    allowed: REFERRAL_READERS,
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
    allowed: REFERRAL_PARTIES,
  },
  'GET /v1/referrals/:id/messages': {
    request: (c) => ({ method: 'GET', url: `/v1/referrals/${c.referralId}/messages` }),
    allowed: REFERRAL_READERS,
    auditedRead: true,
  },
  'GET /v1/referrals/:id/history': {
    request: (c) => ({ method: 'GET', url: `/v1/referrals/${c.referralId}/history` }),
    allowed: REFERRAL_READERS,
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
      auditRoutes: true,
      facts: [
        membershipChanged(ORG_A),
        membershipChanged(ORG_B),
        membershipChanged(ORG_C),
        membershipChanged(ORG_D),
        membershipChanged(ORG_E),
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

  const as = async (who: Who) => ({
    authorization: `Bearer ${await issuer.sign({ ...principal[who], subject: `user-${who}` })}`,
  });

  /** The access-request token the registration answer gives `who` for this person, if it gives one. */
  const tokenOf = async (who: Who, p: ReturnType<typeof personal>): Promise<string> => {
    const answer = await http.inject({
      method: 'POST',
      url: '/v1/clients',
      headers: await as(who),
      payload: { personal: p },
    });
    const token = answer.json<{ accessRequest?: { token?: string } }>().accessRequest?.token;
    return token ?? 'no-token-was-given-to-this-caller';
  };
  tokenOfRef = tokenOf;

  /** A fresh case per row, so an allowed change never spoils the next one. */
  const freshCase = async (stage: Stage, accessRequest: 'requested' | 'approved'): Promise<Case> => {
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
    // What a job coach of the registering organisation may see.
    await app.clientCommand(a, {
      type: 'GiveConsent',
      clientId,
      consentId: randomUUID(),
      purpose: 'job_matching',
      recipient: {},
      scope: ['legal_status', 'location', 'availability'],
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
    // ORG_E met the same person: told "may already be known", it asked A for access.
    const e = { actor: actor('granted') };
    const accessRequestId = randomUUID();
    let answered: { lastPosition?: number } = await app.requestAccess(e, {
      accessRequestId,
      token: await tokenOf('granted', p),
      purpose: 'continuity_of_care',
      scope: ['needs', 'languages'],
    });
    if (accessRequest === 'approved')
      answered = await app.answerAccessRequest(a, {
        type: 'ApproveAccessRequest',
        accessRequestId,
        consent: {
          consentId: randomUUID(),
          purpose: 'continuity_of_care',
          scope: ['needs', 'languages'],
          method: 'written',
          expiresAt: null,
        },
      });
    await projector.waitFor(answered.lastPosition!);
    return { clientId, consentId, needId, referralId, accessRequestId, personal: p };
  };

  it('every operation of the OpenAPI document has a row (the probes are public rows)', () => {
    const probes = {
      'GET /health': { public: true },
      'GET /ready': { public: true },
      'GET /metrics': { public: true },
    };
    expect(tableCoverage('referrals', { ...TABLE, ...probes })).toEqual({
      missing: [],
      unknown: [],
      publicMismatch: [],
    });
  });

  it('has rows for every route the app serves, and every role and relationship in each', () => {
    expect(routes.length).toBeGreaterThan(20);
    expect(routes.filter((r) => !(r in TABLE))).toEqual([]);
    expect(Object.keys(TABLE).filter((r) => !routes.includes(r))).toEqual([]);
  });

  const cases = Object.entries(TABLE).flatMap(([route, row]) =>
    WHO.map((who) => ({ route, who, row, allowed: row.allowed.includes(who) })),
  );

  it.each(cases)('$route as $who → allowed: $allowed', async ({ who, row, allowed }) => {
    const c = await freshCase(row.stage ?? 'accepted', row.accessRequest ?? 'approved');
    const auditTrail = auditReadsStreamId(`user-${who}`);
    const readsBefore = (await store.readStream(auditTrail)).length;
    const { method, url, payload } = await row.request(c, who);
    const response = await http.inject({
      method,
      url,
      headers: { ...(await as(who)), 'idempotency-key': randomUUID() },
      ...(payload === undefined ? {} : { payload: payload as object }),
    });
    if (allowed) {
      expect(response.statusCode, response.body).toBeLessThan(300);
      row.check?.(who, response.json(), c);
    } else {
      const refused = row.refusedWith?.[who];
      expect(refused === undefined ? [403, 404] : [refused], response.body).toContain(response.statusCode);
      expect(response.headers['content-type']).toMatch(/problem\+json/);
      expect(response.body).not.toContain(c.personal.familyName);
    }
    // Every read an auditor makes of a case is itself recorded, before the answer leaves.
    if (who === 'auditor' && row.auditedRead)
      expect((await store.readStream(auditTrail)).length).toBeGreaterThan(readsBefore);
  });
});
