import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createTestIssuer } from '@estia/infra/auth/testIssuer.js';
import { createSqliteEventStore } from '@estia/infra/eventStore/sqlite/sqliteEventStore.js';
import type { EventStore } from '@estia/infra/eventStore/types.js';
import { startChildService, type ChildService } from '@estia/infra/testing/childService.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientStreamId } from '../domain/clients/clientDecider.js';
import { referralStreamId } from '../domain/referrals/referralTypes.js';
import { membershipChanged, servicePublished } from '../testing/registryEvents.js';

const fixture = fileURLToPath(new URL('../testing/referralsServer.fixture.ts', import.meta.url));
const ORG_A = randomUUID();
const ORG_B = randomUUID();
const ORG_C = randomUUID();
const HOUSING_AT_B = randomUUID();
const LEGAL_AT_C = randomUUID();

/**
 * The referrals process killed with SIGKILL right after an append committed, before it answered (the
 * moment that used to leave events without their Idempotency-Key record). After a restart, the retry
 * with the same key gets the original answer and nothing exists twice.
 */
describe('referrals: kill -9 between commit and answer, then retry with the same key', () => {
  const dir = mkdtempSync(join(tmpdir(), 'referrals-crash-'));
  let env: Record<string, string>;
  let a: string;
  let b: string;
  let store: EventStore;
  let clientId: string;

  const start = (crashOn?: number): Promise<ChildService> =>
    startChildService(fixture, { ...env, ...(crashOn ? { CRASH_ON: String(crashOn) } : {}) });
  const post = (service: ChildService, path: string, authorization: string, body: unknown, key?: string) =>
    fetch(`${service.url}${path}`, {
      method: 'POST',
      headers: { authorization, 'content-type': 'application/json', ...(key ? { 'idempotency-key': key } : {}) },
      body: JSON.stringify(body),
    });
  /** Sends through a process that dies at its first commit; the caller never gets an answer. */
  const lostAnswer = async (path: string, authorization: string, body: unknown, key: string): Promise<void> => {
    const doomed = await start(1);
    const outcome = await post(doomed, path, authorization, body, key).then(
      (r) => `answered ${r.status}`,
      () => 'connection lost',
    );
    expect(outcome).toBe('connection lost');
    expect((await doomed.exited).signal).toBe('SIGKILL');
  };
  const retried = async (path: string, authorization: string, body: unknown, key: string) => {
    const service = await start();
    try {
      const first = await post(service, path, authorization, body, key);
      const second = await post(service, path, authorization, body, key);
      return { first, firstBody: await first.text(), secondBody: await second.text() };
    } finally {
      await service.stop();
    }
  };

  beforeAll(async () => {
    const issuer = await createTestIssuer();
    a = `Bearer ${await issuer.sign({ organisationId: ORG_A, roles: ['referral_officer'], subject: 'officer-a' })}`;
    b = `Bearer ${await issuer.sign({ organisationId: ORG_B, roles: ['referral_officer'], subject: 'officer-b' })}`;
    env = {
      DATA_DIR: dir,
      KEK: randomBytes(32).toString('base64'),
      JWKS: JSON.stringify(issuer.jwks),
      FACTS: JSON.stringify([
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
      ]),
    };
    store = createSqliteEventStore({ path: join(dir, 'events.sqlite') });
  });
  afterAll(async () => {
    await store?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('registration: one client, and the retry answers with it', async () => {
    const body = {
      personal: {
        givenNames: 'Samir',
        familyName: 'Yousef',
        dateOfBirth: '1992-07-01',
        nationalities: ['SY'],
        languages: [{ language: 'ar', level: 'C2' }],
        legalStatus: { status: 'asylum_seeker', applicationDate: '2025-01-10' },
      },
    };
    await lostAnswer('/v1/clients', a, body, 'crash-register');
    const streams = await store.listStreams({ prefix: 'client-' });
    expect(streams).toHaveLength(1);
    const { first, firstBody, secondBody } = await retried('/v1/clients', a, body, 'crash-register');
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBe('true');
    clientId = (JSON.parse(firstBody) as { clientId: string }).clientId;
    expect(clientStreamId(clientId)).toBe(streams[0]);
    expect(first.headers.get('location')).toBe(`/v1/clients/${clientId}`);
    expect(first.headers.get('etag')).toBe(`"${await store.streamVersion(streams[0]!)}"`);
    expect(secondBody).toBe(firstBody);
    expect(await store.listStreams({ prefix: 'client-' })).toHaveLength(1);
  });

  it('referral and forward: each committed once with its record; retries and duplicates add nothing', async () => {
    const service = await start();
    for (const category of ['housing', 'legal'])
      expect(
        (
          await post(service, `/v1/clients/${clientId}/consents`, a, {
            purpose: 'referral',
            recipient: { serviceCategory: category },
            scope: ['needs'],
            method: 'written',
          })
        ).status,
      ).toBe(201);
    await service.stop();

    const send = { clientId, serviceId: HOUSING_AT_B, share: ['needs'] };
    await lostAnswer('/v1/referrals', a, send, 'crash-send');
    const requested = await store.readAll({ types: ['ReferralRequested'] });
    expect(requested).toHaveLength(1);
    const referralId = (requested[0]!.data as { referralId: string }).referralId;
    const sent = await retried('/v1/referrals', a, send, 'crash-send');
    expect(JSON.parse(sent.firstBody)).toEqual({ referralId });
    // A new key for the same referral meets the open-referral slot committed with the first.
    const duplicate = await retried('/v1/referrals', a, send, 'crash-send-again');
    expect(duplicate.first.status).toBe(409);
    expect(JSON.parse(duplicate.firstBody)).toMatchObject({ existingReferralId: referralId });

    const forward = { serviceId: LEGAL_AT_C, share: ['needs'], reason: { code: 'better_fit' } };
    await lostAnswer(`/v1/referrals/${referralId}/forward`, b, forward, 'crash-forward');
    const link = (await store.readStream(referralStreamId(referralId))).filter((e) => e.type === 'ReferralForwarded');
    expect(link).toHaveLength(1);
    const next = (link[0]!.data as { newReferralId: string }).newReferralId;
    expect(await store.readStream(referralStreamId(next))).toHaveLength(1);
    const forwarded = await retried(`/v1/referrals/${referralId}/forward`, b, forward, 'crash-forward');
    expect(forwarded.first.status).toBe(201);
    expect(JSON.parse(forwarded.firstBody)).toEqual({ referralId: next });
    expect(
      (await store.readStream(referralStreamId(referralId))).filter((e) => e.type === 'ReferralForwarded'),
    ).toHaveLength(1);
    expect(await store.readAll({ types: ['ReferralRequested'] })).toHaveLength(2);
  });
});
