import { randomUUID } from 'node:crypto';
import type { TestIssuer } from '@estia/infra/auth/testIssuer.js';
import type { Role } from '@estia/infra/auth/principal.js';
import { scopesForRoles } from '@estia/infra/auth/scopes.js';
import type { EventStore } from '@estia/infra/eventStore/types.js';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startReferralsHarness, type ReferralsHarness } from '../testing/referralsHarness.js';
import { membershipChanged, servicePublished } from '../testing/registryEvents.js';

const ORG_A = randomUUID();
const ORG_B = randomUUID();
const HOUSING_AT_B = randomUUID();

const personal = {
  givenNames: 'Amira',
  familyName: 'Haddad',
  dateOfBirth: '1990-05-04',
  nationalities: ['SY'],
  languages: [{ language: 'ar', level: 'C2' }],
  contact: { phone: '+30 690 000 0000' },
  legalStatus: { status: 'asylum_seeker', applicationDate: '2025-02-01' },
};

describe('referrals HTTP API (SQLite, real tokens, projector)', () => {
  let h: ReferralsHarness | undefined;
  let store: EventStore;
  let http: FastifyInstance;
  let issuer: TestIssuer;
  let logLines: string[];

  const as = async (organisationId: string, roles: Role[] = ['referral_officer']) => ({
    authorization: `Bearer ${await issuer.sign({ organisationId, roles, subject: `user-${organisationId.slice(0, 4)}` })}`,
  });

  beforeAll(async () => {
    h = await startReferralsHarness({
      name: 'http',
      facts: [
        membershipChanged(ORG_A),
        membershipChanged(ORG_B),
        servicePublished({
          serviceId: HOUSING_AT_B,
          organisationId: ORG_B,
          category: 'housing',
          responseTimeHours: 72,
        }),
      ],
      logLevel: 'info',
      captureLogs: true,
    });
    ({ store, http, issuer, logLines } = h);
  });

  afterAll(async () => h?.close());

  it('runs a case end to end: register, consent, refer, accept, message, read within scope, erase', async () => {
    const headersA = await as(ORG_A);
    const headersB = await as(ORG_B);

    const registered = await http.inject({
      method: 'POST',
      url: '/v1/clients',
      headers: { ...headersA, 'idempotency-key': 'reg-1' },
      payload: { personal },
    });
    expect(registered.statusCode, registered.body).toBe(201);
    const { clientId } = registered.json<{ clientId: string }>();
    // A retrying partner creates nothing twice.
    const replay = await http.inject({
      method: 'POST',
      url: '/v1/clients',
      headers: { ...headersA, 'idempotency-key': 'reg-1' },
      payload: { personal },
    });
    expect(replay.json()).toEqual({ clientId });

    const consent = await http.inject({
      method: 'POST',
      url: `/v1/clients/${clientId}/consents`,
      headers: headersA,
      payload: {
        purpose: 'referral',
        recipient: { serviceCategory: 'housing' },
        scope: ['needs', 'languages'],
        method: 'written',
      },
    });
    expect(consent.statusCode, consent.body).toBe(201);

    // B cannot see the client yet, and cannot tell whether it exists.
    expect((await http.inject({ method: 'GET', url: `/v1/clients/${clientId}`, headers: headersB })).statusCode).toBe(
      404,
    );

    const sent = await http.inject({
      method: 'POST',
      url: '/v1/referrals',
      headers: headersA,
      payload: { clientId, serviceId: HOUSING_AT_B, share: ['needs', 'languages'], message: 'Family of four' },
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const { referralId } = sent.json<{ referralId: string }>();

    const inbox = await http.inject({
      method: 'GET',
      url: '/v1/referrals?box=inbox&status=requested',
      headers: headersB,
    });
    expect(inbox.json<{ items: { referralId: string }[] }>().items.map((r) => r.referralId)).toEqual([referralId]);

    const wrongSide = await http.inject({
      method: 'POST',
      url: `/v1/referrals/${referralId}/accept`,
      headers: headersA,
    });
    expect(wrongSide.statusCode).toBe(403);
    expect(wrongSide.headers['content-type']).toMatch(/problem\+json/);

    const accepted = await http.inject({
      method: 'POST',
      url: `/v1/referrals/${referralId}/accept`,
      headers: headersB,
    });
    expect(accepted.statusCode, accepted.body).toBe(204);
    expect(accepted.headers.etag).toBe('"1"');
    const again = await http.inject({ method: 'POST', url: `/v1/referrals/${referralId}/accept`, headers: headersB });
    expect(again.statusCode).toBe(409);
    expect(again.json()).toMatchObject({ code: 'ILLEGAL_TRANSITION', detail: expect.stringMatching(/it is accepted/) });

    const seenByB = await http.inject({ method: 'GET', url: `/v1/clients/${clientId}`, headers: headersB });
    expect(seenByB.statusCode, seenByB.body).toBe(200);
    const view = seenByB.json<{ access: string; personal: Record<string, unknown>; consents: unknown[] }>();
    expect(view.access).toBe('referral');
    expect(view.personal).toEqual({
      givenNames: 'Amira',
      familyName: 'Haddad',
      dateOfBirth: '1990-05-04',
      languages: [{ language: 'ar', level: 'C2' }],
    });
    expect(view.consents).toEqual([]);

    const posted = await http.inject({
      method: 'POST',
      url: `/v1/referrals/${referralId}/messages`,
      headers: headersB,
      payload: { text: 'Can she come on Tuesday?' },
    });
    expect(posted.statusCode, posted.body).toBe(201);
    const thread = await http.inject({ method: 'GET', url: `/v1/referrals/${referralId}/messages`, headers: headersA });
    expect(thread.json<{ items: { text: string }[] }>().items.map((m) => m.text)).toEqual(['Can she come on Tuesday?']);

    // An auditor of another organisation reads everything, and the read itself is recorded first.
    const auditor = await as(randomUUID(), ['auditor']);
    const audited = await http.inject({ method: 'GET', url: `/v1/clients/${clientId}`, headers: auditor });
    expect(audited.statusCode, audited.body).toBe(200);
    expect(audited.json<{ personal: { contact?: unknown } }>().personal.contact).toEqual({ phone: '+30 690 000 0000' });
    const reads = (await store.readAll()).filter((e) => e.type === 'AuditorRead');
    expect(reads.map((e) => e.data)).toEqual([expect.objectContaining({ resource: 'client', resourceId: clientId })]);
    // ... and changes nothing.
    const auditorCancel = await http.inject({
      method: 'POST',
      url: `/v1/referrals/${referralId}/cancel`,
      headers: auditor,
      payload: { reason: { code: 'x' } },
    });
    expect(auditorCancel.statusCode).toBe(403);

    // Erasure is the registering organisation's data protection officer's, with a reason.
    const dpoA = await as(ORG_A, ['data_protection_officer']);
    const erase = (headers: Record<string, string>, payload?: object) =>
      http.inject({ method: 'DELETE', url: `/v1/clients/${clientId}`, headers, ...(payload ? { payload } : {}) });
    const reason = { reason: { code: 'data_subject_request' } };
    expect((await erase(headersA, reason)).statusCode).toBe(403);
    expect((await erase(await as(ORG_A, ['org_admin']), reason)).statusCode).toBe(403);
    const noReason = await erase(dpoA);
    expect(noReason.statusCode, noReason.body).toBe(422);
    expect(noReason.json()).toMatchObject({ errors: [{ pointer: '/body/reason' }] });
    const erased = await erase(dpoA, reason);
    expect(erased.statusCode, erased.body).toBe(204);
    expect((await erase(dpoA, reason)).statusCode).toBe(204);
    // The organisations that held or worked the case learn that and when the client was erased; others nothing.
    for (const holder of [headersA, headersB]) {
      const gone = await http.inject({ method: 'GET', url: `/v1/clients/${clientId}`, headers: holder });
      expect(gone.statusCode).toBe(410);
      expect(gone.headers['content-type']).toMatch(/problem\+json/);
      expect(gone.json()).toMatchObject({ code: 'GONE', erasedAt: expect.any(String) });
    }
    const notices = await http.inject({ method: 'GET', url: '/v1/erasure-notices', headers: headersB });
    expect(notices.json()).toMatchObject({
      items: [{ clientId, erasedByOrganisationId: ORG_A, reasonCode: 'data_subject_request' }],
    });
    const stranger = await http.inject({
      method: 'GET',
      url: `/v1/clients/${clientId}`,
      headers: await as(randomUUID()),
    });
    expect(stranger.statusCode).toBe(404);
    const threadAfter = await http.inject({
      method: 'GET',
      url: `/v1/referrals/${referralId}/messages`,
      headers: headersA,
    });
    expect(threadAfter.json()).toEqual({ items: [] });

    // No plaintext personal data in the log or in any log line.
    const log = JSON.stringify(await store.readAll());
    expect(logLines.length).toBeGreaterThan(5);
    for (const secret of ['Amira', 'Haddad', '690 000', 'Family of four', 'Tuesday']) {
      expect(log).not.toContain(secret);
      expect(logLines.join('\n')).not.toContain(secret);
    }
  });

  it("answers a referral's history: every move, who and when, reasons and notes, only to its two sides", async () => {
    const scoped = async (organisationId: string, roles: Role[] = ['referral_officer']) => ({
      authorization: `Bearer ${await issuer.sign({ organisationId, roles, subject: `user-${organisationId.slice(0, 4)}`, scopes: scopesForRoles(roles) })}`,
    });
    const headersA = await scoped(ORG_A);
    const headersB = await scoped(ORG_B);
    const registered = await http.inject({
      method: 'POST',
      url: '/v1/clients',
      headers: headersA,
      payload: { personal: { ...personal, givenNames: 'Lina', dateOfBirth: '1991-01-02' }, confirmedNew: true },
    });
    expect(registered.statusCode, registered.body).toBe(201);
    const { clientId } = registered.json<{ clientId: string }>();
    await http.inject({
      method: 'POST',
      url: `/v1/clients/${clientId}/consents`,
      headers: headersA,
      payload: { purpose: 'referral', recipient: { serviceCategory: 'housing' }, scope: ['needs'], method: 'written' },
    });
    const sent = await http.inject({
      method: 'POST',
      url: '/v1/referrals',
      headers: headersA,
      payload: { clientId, serviceId: HOUSING_AT_B, share: ['needs'] },
    });
    const { referralId } = sent.json<{ referralId: string }>();
    const step = (action: string, payload?: object) =>
      http.inject({
        method: 'POST',
        url: `/v1/referrals/${referralId}/${action}`,
        headers: headersB,
        ...(payload ? { payload } : {}),
      });
    expect((await step('accept')).statusCode).toBe(204);
    expect(
      (await step('hold', { reason: { code: 'waiting_for_documents', note: 'Passport copy missing' } })).statusCode,
    ).toBe(204);
    expect((await step('resume')).statusCode).toBe(204);
    expect((await step('start')).statusCode).toBe(204);
    await http.inject({
      method: 'POST',
      url: `/v1/referrals/${referralId}/messages`,
      headers: headersB,
      payload: { text: 'Hi' },
    });
    expect((await step('complete', { outcome: 'need_met', note: 'Moved in on Monday' })).statusCode).toBe(204);

    const history = await http.inject({ method: 'GET', url: `/v1/referrals/${referralId}/history`, headers: headersA });
    expect(history.statusCode, history.body).toBe(200);
    const items = history.json<{ items: Record<string, unknown>[] }>().items;
    expect(items.map((i) => [i.previousStatus, i.status])).toEqual([
      [null, 'requested'],
      ['requested', 'accepted'],
      ['accepted', 'on-hold'],
      ['on-hold', 'accepted'],
      ['accepted', 'in-progress'],
      ['in-progress', 'completed'],
    ]);
    expect(items[0]).toMatchObject({ type: 'ReferralRequested', by: { organisationId: ORG_A } });
    expect(items[2]).toMatchObject({
      by: { organisationId: ORG_B },
      reasonCode: 'waiting_for_documents',
      reasonNote: 'Passport copy missing',
    });
    expect(items[5]).toMatchObject({ outcome: 'need_met', outcomeNote: 'Moved in on Monday' });
    expect(items.every((i) => typeof i.at === 'string' && typeof i.eventId === 'string')).toBe(true);
    // The receiver sees the same; a stranger cannot tell it exists.
    expect(
      (await http.inject({ method: 'GET', url: `/v1/referrals/${referralId}/history`, headers: headersB })).json(),
    ).toEqual(history.json());
    const stranger = await http.inject({
      method: 'GET',
      url: `/v1/referrals/${referralId}/history`,
      headers: await scoped(randomUUID()),
    });
    expect(stranger.statusCode).toBe(404);

    // An auditor's read of it is recorded.
    const auditorRead = await http.inject({
      method: 'GET',
      url: `/v1/referrals/${referralId}/history`,
      headers: await scoped(randomUUID(), ['auditor']),
    });
    expect(auditorRead.statusCode).toBe(200);
    const reads = (await store.readAll()).filter((e) => e.type === 'AuditorRead').map((e) => e.data);
    expect(reads).toContainEqual(expect.objectContaining({ resource: 'referral-history', resourceId: referralId }));
  });

  it('refuses a referral without consent with 422 problem+json', async () => {
    const headersA = await as(ORG_A);
    const registered = await http.inject({
      method: 'POST',
      url: '/v1/clients',
      headers: headersA,
      payload: {
        personal: { ...personal, givenNames: 'Olena', familyName: 'Koval', nationalities: ['UA'] },
        confirmedNew: true,
      },
    });
    expect(registered.statusCode, registered.body).toBe(201);
    const { clientId } = registered.json<{ clientId: string }>();
    const refused = await http.inject({
      method: 'POST',
      url: '/v1/referrals',
      headers: headersA,
      payload: { clientId, serviceId: HOUSING_AT_B, share: ['needs'] },
    });
    expect(refused.statusCode).toBe(422);
    expect(refused.json()).toMatchObject({ code: 'BUSINESS_RULE_VIOLATED' });
  });

  it('answers 401 without a token', async () => {
    expect((await http.inject({ method: 'GET', url: '/v1/referrals' })).statusCode).toBe(401);
  });
});
