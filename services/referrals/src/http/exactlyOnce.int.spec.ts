import { randomUUID } from 'node:crypto';
import type { Role } from '@estia/infra/auth/principal.js';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientStreamId } from '../domain/clients/clientDecider.js';
import { referralStreamId } from '../domain/referrals/referralTypes.js';
import { startReferralsHarness, type ReferralsHarness } from '../testing/referralsHarness.js';
import { membershipChanged, servicePublished } from '../testing/registryEvents.js';

const ORG_A = randomUUID();
const ORG_B = randomUUID();
const ORG_C = randomUUID();
const HOUSING_AT_B = randomUUID();
const LEGAL_AT_C = randomUUID();

const personal = (familyName: string) => ({
  givenNames: 'Lina',
  familyName,
  dateOfBirth: '1988-03-12',
  nationalities: ['AF'],
  languages: [{ language: 'fa', level: 'C2' }],
  legalStatus: { status: 'asylum_seeker', applicationDate: '2025-02-01' },
});

describe('referrals commands: exactly once, one open referral per service, answers from the decision', () => {
  let h: ReferralsHarness;
  let http: FastifyInstance;
  let a: Record<string, string>;
  let b: Record<string, string>;

  const as = async (organisationId: string, roles: Role[] = ['referral_officer']) => ({
    authorization: `Bearer ${await h.issuer.sign({ organisationId, roles, subject: `user-${organisationId.slice(0, 4)}` })}`,
  });
  const post = (url: string, headers: Record<string, string>, payload: unknown) =>
    http.inject({ method: 'POST', url, headers, payload: payload as object });
  const clients = async () => (await h.store.listStreams({ prefix: 'client-' })).length;

  /** A registered client of A who consented to referrals for housing and legal help. */
  const consentingClient = async (familyName: string): Promise<string> => {
    const { clientId } = (await post('/v1/clients', a, { personal: personal(familyName), confirmedNew: true })).json<{
      clientId: string;
    }>();
    for (const category of ['housing', 'legal'])
      await post(`/v1/clients/${clientId}/consents`, a, {
        purpose: 'referral',
        recipient: { serviceCategory: category },
        scope: ['needs'],
        method: 'written',
      });
    return clientId;
  };
  const refer = (clientId: string, key?: string, serviceId = HOUSING_AT_B) =>
    post(
      '/v1/referrals',
      { ...a, ...(key ? { 'idempotency-key': key } : {}) },
      { clientId, serviceId, share: ['needs'] },
    );

  beforeAll(async () => {
    h = await startReferralsHarness({
      name: 'exactly-once',
      facts: [
        membershipChanged(ORG_A),
        membershipChanged(ORG_B),
        membershipChanged(ORG_C),
        servicePublished({
          serviceId: HOUSING_AT_B,
          organisationId: ORG_B,
          category: 'housing',
          responseTimeHours: 72,
        }),
        servicePublished({ serviceId: LEGAL_AT_C, organisationId: ORG_C, category: 'legal', responseTimeHours: 72 }),
      ],
    });
    http = h.http;
    a = await as(ORG_A);
    b = await as(ORG_B);
  });
  afterAll(async () => h?.close());

  it('a registration retried with its key is answered as the first time; concurrent duplicates register once', async () => {
    const before = await clients();
    const headers = { ...a, 'idempotency-key': 'register-once-1' };
    const first = await post('/v1/clients', headers, { personal: personal('Rahimi') });
    expect(first.statusCode, first.body).toBe(201);
    const again = await post('/v1/clients', headers, { personal: personal('Rahimi') });
    expect(again.headers['idempotent-replayed']).toBe('true');
    expect([again.statusCode, again.body, again.headers.location, again.headers.etag]).toEqual([
      first.statusCode,
      first.body,
      first.headers.location,
      first.headers.etag,
    ]);
    expect((await post('/v1/clients', headers, { personal: personal('Other') })).statusCode).toBe(422);

    const race = await Promise.all(
      Array.from({ length: 10 }, () =>
        post(
          '/v1/clients',
          { ...a, 'idempotency-key': 'register-race' },
          { personal: personal('Karimi'), confirmedNew: true },
        ),
      ),
    );
    expect(new Set(race.map((r) => r.statusCode))).toEqual(new Set([201]));
    expect(new Set(race.map((r) => r.body)).size).toBe(1);
    expect(await clients()).toBe(before + 2);
  });

  it('a second open referral of the client to the service is refused naming the first, whatever its key', async () => {
    const clientId = await consentingClient('Noori');
    const first = await refer(clientId, 'refer-1');
    expect(first.statusCode, first.body).toBe(201);
    const { referralId } = first.json<{ referralId: string }>();
    // The same key is the same request: its answer again, not a refusal.
    expect((await refer(clientId, 'refer-1')).body).toBe(first.body);
    const second = await refer(clientId, 'refer-2');
    expect(second.statusCode).toBe(409);
    expect(second.json()).toMatchObject({ code: 'CONFLICT', existingReferralId: referralId });
    // Another service is another referral.
    expect((await refer(clientId, 'refer-3', LEGAL_AT_C)).statusCode).toBe(201);
    // Once the first is closed, the client may be referred there again.
    expect((await post(`/v1/referrals/${referralId}/reject`, b, { reason: { code: 'no_capacity' } })).statusCode).toBe(
      204,
    );
    expect((await refer(clientId, 'refer-4')).statusCode).toBe(201);
  });

  it('concurrent sends of the same referral under different keys: exactly one is created', async () => {
    const clientId = await consentingClient('Sadat');
    const answers = await Promise.all(Array.from({ length: 8 }, (_, i) => refer(clientId, `race-${i}`)));
    const created = answers.filter((r) => r.statusCode === 201);
    expect(created).toHaveLength(1);
    const winner = created[0]!.json<{ referralId: string }>().referralId;
    for (const refused of answers.filter((r) => r.statusCode !== 201)) {
      expect(refused.statusCode).toBe(409);
      expect(refused.json()).toMatchObject({ existingReferralId: winner });
    }
    const requested = await h.store.readAll({ types: ['ReferralRequested'] });
    expect(requested.filter((e) => (e.data as { clientId: string }).clientId === clientId)).toHaveLength(1);
  });

  it('a forward honours If-Match (412 with the current ETag) and, retried with its key, forwards once', async () => {
    const clientId = await consentingClient('Hosseini');
    const { referralId } = (await refer(clientId)).json<{ referralId: string }>();
    const version = (await http.inject({ method: 'GET', url: `/v1/referrals/${referralId}`, headers: b })).headers
      .etag as string;
    expect(version).toMatch(/^"\d+"$/);
    const forward = (key: string, ifMatch: string) =>
      post(
        `/v1/referrals/${referralId}/forward`,
        { ...b, 'idempotency-key': key, 'if-match': ifMatch },
        { serviceId: LEGAL_AT_C, share: ['needs'], reason: { code: 'better_fit' } },
      );
    const stale = await forward('fwd-stale', '"7"');
    expect(stale.statusCode).toBe(412);
    expect(stale.headers.etag).toBe(version);
    const done = await Promise.all([forward('fwd-1', version), forward('fwd-1', version), forward('fwd-1', version)]);
    expect(done.map((r) => r.statusCode)).toEqual([201, 201, 201]);
    expect(new Set(done.map((r) => r.body)).size).toBe(1);
    const original = await h.store.readStream(referralStreamId(referralId));
    expect(original.filter((e) => e.type === 'ReferralForwarded')).toHaveLength(1);
    const { referralId: next } = done[0]!.json<{ referralId: string }>();
    expect(await h.store.readStream(referralStreamId(next))).toHaveLength(1);
  });

  it('a state change retried with its key (the first answer was lost) gets the first 204, not a conflict with its own result', async () => {
    const clientId = await consentingClient('Transition');
    const { referralId } = (await refer(clientId)).json<{ referralId: string }>();
    const accept = (headers: Record<string, string>, payload: unknown = {}) =>
      post(`/v1/referrals/${referralId}/accept`, headers, payload);
    const first = await accept({ ...b, 'idempotency-key': 'accept-1' });
    expect(first.statusCode, first.body).toBe(204);
    const retry = await accept({ ...b, 'idempotency-key': 'accept-1' });
    expect(retry.statusCode, retry.body).toBe(204);
    expect(retry.headers['idempotent-replayed']).toBe('true');
    expect(retry.headers.etag).toBe(first.headers.etag);
    // Without the key the same request meets the state it produced; with the key and another body, 422.
    expect((await accept(b)).statusCode).toBe(409);
    expect((await accept({ ...b, 'idempotency-key': 'accept-1' }, { note: 'other' })).statusCode).toBe(422);
    const events = await h.store.readStream(referralStreamId(referralId));
    expect(events.filter((e) => e.type === 'ReferralAccepted')).toHaveLength(1);
  });

  it('answers a command from its decision while the read models are stopped (no 500 for a lagging projection)', async () => {
    await h.projector.stop();
    const started = Date.now();
    const registered = await post(
      '/v1/clients',
      { ...a, 'idempotency-key': 'while-stopped' },
      { personal: personal('Azizi'), confirmedNew: true },
    );
    expect(registered.statusCode, registered.body).toBe(201);
    const { clientId } = registered.json<{ clientId: string }>();
    expect(registered.headers.etag).toBe(`"${await h.store.streamVersion(clientStreamId(clientId))}"`);
    // Bounded: the answer waited for the read models at most a couple of seconds, then stood on the decision.
    expect(Date.now() - started).toBeLessThan(15_000);
  });
});
