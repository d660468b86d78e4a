import { spawnSync } from 'node:child_process';
import { resolve } from 'node:path';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerClient, startAuditHarness, type AuditHarness } from './auditTestHarness.js';

const ROOT = resolve(import.meta.dirname, '../../../..');
const personal = {
  givenNames: 'Leila',
  familyName: 'Oldsurname',
  dateOfBirth: '1994-03-02',
  nationalities: ['AF'],
  languages: [{ language: 'fa', level: 'C2' }],
  legalStatus: { status: 'asylum_seeker', applicationDate: '2025-01-10' },
};
const pause = () => new Promise((r) => setTimeout(r, 15));

describe('auditor replay and chain verification (HTTP + CLI, SQLite)', () => {
  let h: AuditHarness;
  let clientId: string;
  let betweenChanges: string;
  let referralId: string;

  const cli = (...args: string[]) => {
    const run = spawnSync(process.execPath, ['--import', 'tsx', 'scripts/audit.ts', ...args], {
      cwd: ROOT,
      env: { ...process.env, DATA_DIR: h.dataDir, KEY_ENCRYPTION_KEY: h.kekBase64 },
      encoding: 'utf8',
    });
    return { code: run.status, out: run.stdout, err: run.stderr };
  };

  beforeAll(async () => {
    h = await startAuditHarness();
    clientId = await registerClient(h, personal);
    await pause();
    betweenChanges = new Date().toISOString();
    await pause();
    const officer = await h.headers(h.orgA);
    const corrected = await h.http.inject({
      method: 'POST',
      url: `/v1/clients/${clientId}/personal-data`,
      headers: officer,
      payload: { familyName: 'Newsurname' },
    });
    expect(corrected.statusCode, corrected.body).toBe(204);
    const sent = await h.http.inject({
      method: 'POST',
      url: '/v1/referrals',
      headers: officer,
      payload: { clientId, serviceId: h.housingAtB, share: ['needs'] },
    });
    expect(sent.statusCode, sent.body).toBe(201);
    referralId = sent.json<{ referralId: string }>().referralId;
  });
  afterAll(async () => h?.dispose());

  it('replays the whole case in order, with organisation, person and causation, for auditors only', async () => {
    const auditor = await h.headers(h.orgB, ['auditor']);
    const res = await h.http.inject({ method: 'GET', url: `/v1/audit/clients/${clientId}/history`, headers: auditor });
    expect(res.statusCode, res.body).toBe(200);
    const history = res.json<{
      events: {
        type: string;
        streamId: string;
        organisationId: string;
        correlationId: string | null;
        position: number;
      }[];
      state: {
        personal: { status: string; data: { familyName: string } };
        referrals: Record<string, { status: string }>;
      };
      erasedAt: null;
    }>();
    expect(history.events.map((e) => e.type)).toEqual([
      'ClientRegistered',
      'ConsentGiven',
      'ClientPersonalDataCorrected',
      'ReferralRequested',
    ]);
    const positions = history.events.map((e) => e.position);
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
    expect(history.events.every((e) => e.organisationId === h.orgA && e.correlationId)).toBe(true);
    expect(history.state.personal.data.familyName).toBe('Newsurname');
    expect(history.state.referrals[`referral-${referralId}`]?.status).toBe('requested');
    expect(history.erasedAt).toBeNull();

    // Every auditor read is in the log, written before the answer.
    const reads = (await h.store.readAll()).filter((e) => e.type === 'AuditorRead');
    expect(reads.at(-1)?.data).toMatchObject({ resource: 'client', resourceId: clientId, organisationId: h.orgB });

    const officer = await h.headers(h.orgA);
    const refused = await h.http.inject({
      method: 'GET',
      url: `/v1/audit/clients/${clientId}/history`,
      headers: officer,
    });
    expect(refused.statusCode).toBe(403);
    expect(refused.headers['content-type']).toMatch(/problem\+json/);
  });

  it('folds only the events recorded at or before asOf', async () => {
    const auditor = await h.headers(h.orgB, ['auditor']);
    const res = await h.http.inject({
      method: 'GET',
      url: `/v1/audit/clients/${clientId}/history?asOf=${encodeURIComponent(betweenChanges)}`,
      headers: auditor,
    });
    expect(res.statusCode, res.body).toBe(200);
    const history = res.json<{
      events: { type: string }[];
      state: { personal: { data: { familyName: string } }; referrals: object; client: { status: string } };
    }>();
    expect(history.events.map((e) => e.type)).toEqual(['ClientRegistered', 'ConsentGiven']);
    expect(history.state.personal.data.familyName).toBe('Oldsurname');
    expect(history.state.referrals).toEqual({});
    const before = await h.http.inject({
      method: 'GET',
      url: `/v1/audit/clients/${clientId}/history?asOf=2000-01-01`,
      headers: auditor,
    });
    expect(before.json<{ events: unknown[]; state: { client: { status: string } } }>()).toMatchObject({
      events: [],
      state: { client: { status: 'none' } },
    });
  });

  it('shows the access requests made for the case: who asked, for what, and the answer with its reason', async () => {
    // Organisation B meets the same person: "may already be known", and a token to ask A for access.
    const officerB = await h.headers(h.orgB);
    const answer = await h.http.inject({
      method: 'POST',
      url: '/v1/clients',
      headers: officerB,
      payload: { personal: { ...personal, familyName: 'Newsurname' } },
    });
    expect(answer.statusCode, answer.body).toBe(422);
    const { accessRequest } = answer.json<{ accessRequest: { token: string } }>();
    const asked = await h.http.inject({
      method: 'POST',
      url: '/v1/access-requests',
      headers: officerB,
      payload: { token: accessRequest.token, purpose: 'continuity_of_care', scope: ['needs'] },
    });
    expect(asked.statusCode, asked.body).toBe(201);
    const { accessRequestId } = asked.json<{ accessRequestId: string }>();
    const declined = await h.http.inject({
      method: 'POST',
      url: `/v1/access-requests/${accessRequestId}/decline`,
      headers: await h.headers(h.orgA),
      payload: { reason: { code: 'client_refused' } },
    });
    expect(declined.statusCode, declined.body).toBe(204);

    const auditor = await h.headers(h.orgB, ['auditor']);
    const res = await h.http.inject({ method: 'GET', url: `/v1/audit/clients/${clientId}/history`, headers: auditor });
    const history = res.json<{
      streams: string[];
      events: { type: string; organisationId: string; facts: Record<string, unknown> }[];
      state: { accessRequests: Record<string, { status: string; requesterOrganisationId: string }> };
    }>();
    expect(history.streams).toContain(`access-request-${accessRequestId}`);
    const steps = history.events.filter((e) => e.type.startsWith('AccessRequest'));
    expect(steps.map((e) => [e.type, e.organisationId])).toEqual([
      ['AccessRequested', h.orgB],
      ['AccessRequestDeclined', h.orgA],
    ]);
    expect(steps[1]!.facts).toMatchObject({ reasonCode: 'client_refused' });
    expect(history.state.accessRequests[`access-request-${accessRequestId}`]).toMatchObject({
      status: 'declined',
      requesterOrganisationId: h.orgB,
    });
    const replay = cli('replay', clientId);
    expect(replay.code, replay.err).toBe(0);
    expect(replay.out).toContain(`access-request-${accessRequestId}: declined (asked by ${h.orgB})`);
  });

  it("lists the auditor's own reads, newest first, and names who overrode consent, for which organisation, why", async () => {
    const auditor = await h.headers(h.orgA, ['auditor']);
    // An officer with the override permission sends without consent, with a reason and a note.
    const overrider = await h.headers(h.orgA, ['referral_officer', 'consent_override']);
    // Consent only for legal help: a housing referral is not covered.
    const other = await registerClient(
      h,
      { ...personal, givenNames: 'Zahra', dateOfBirth: '1985-01-01' },
      { purpose: 'referral', recipient: { serviceCategory: 'legal' }, scope: ['needs'], method: 'written' },
    );
    const sent = await h.http.inject({
      method: 'POST',
      url: '/v1/referrals',
      headers: overrider,
      payload: {
        clientId: other,
        serviceId: h.housingAtB,
        share: ['needs'],
        consentOverride: { code: 'vital_interest', note: 'Sleeping outside tonight' },
      },
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const { referralId: overridden } = sent.json<{ referralId: string }>();
    await h.projector.waitFor((await h.store.readStream(`referral-${overridden}`))[0]!.position, 5_000);
    const report = await h.http.inject({ method: 'GET', url: '/v1/reports/consent-overrides', headers: auditor });
    expect(report.statusCode, report.body).toBe(200);
    const row = report.json<{ items: Record<string, unknown>[] }>().items.find((i) => i.referralId === overridden);
    expect(row).toMatchObject({
      senderOrganisationId: h.orgA,
      reasonCode: 'vital_interest',
      overriddenBy: { organisationId: h.orgA, userId: expect.any(String) },
      note: 'Sleeping outside tonight',
      clientId: other,
    });
    // Network administrators see who and why, not the note (personal data).
    const admin = await h.http.inject({
      method: 'GET',
      url: '/v1/reports/consent-overrides',
      headers: await h.headers(h.orgA, ['network_admin']),
    });
    const adminRow = admin.json<{ items: Record<string, unknown>[] }>().items.find((i) => i.referralId === overridden);
    expect(adminRow).toMatchObject({ overriddenBy: { organisationId: h.orgA } });
    expect(adminRow).not.toHaveProperty('note');

    await h.http.inject({ method: 'GET', url: `/v1/audit/clients/${clientId}/verify`, headers: auditor });
    const reads = await h.http.inject({ method: 'GET', url: '/v1/audit/reads', headers: auditor });
    expect(reads.statusCode, reads.body).toBe(200);
    const items = reads.json<{ items: { resource: string; resourceId: string; at: string }[] }>().items;
    expect(items[0]).toMatchObject({ resource: 'client', resourceId: clientId });
    expect(items[1]).toMatchObject({ resource: 'consent-override-report' });
    expect(items.map((i) => i.at)).toEqual([...items.map((i) => i.at)].sort().reverse());
    expect(
      (await h.http.inject({ method: 'GET', url: '/v1/audit/reads', headers: await h.headers(h.orgA) })).statusCode,
    ).toBe(403);
  });

  it('does not record a read that is refused or finds nothing', async () => {
    const auditor = await h.headers(h.orgB, ['auditor']);
    const reads = async () => (await h.store.readAll()).filter((e) => e.type === 'AuditorRead').length;
    const before = await reads();
    const unknown = '00000000-0000-4000-8000-00000000abcd';
    for (const url of [`/v1/audit/clients/${unknown}/history`, `/v1/audit/clients/${unknown}/verify`])
      expect((await h.http.inject({ method: 'GET', url, headers: auditor })).statusCode).toBe(404);
    expect((await h.http.inject({ method: 'GET', url: `/v1/clients/${unknown}`, headers: auditor })).statusCode).toBe(
      404,
    );
    expect(await reads()).toBe(before);
  });

  it('answers bad input with problem+json and unknown clients with 404', async () => {
    const auditor = await h.headers(h.orgB, ['auditor']);
    const get = (url: string) => h.http.inject({ method: 'GET', url, headers: auditor });
    const badDate = await get(`/v1/audit/clients/${clientId}/history?asOf=yesterday`);
    expect(badDate.statusCode).toBe(400);
    expect(badDate.json()).toMatchObject({ errors: [{ pointer: '/querystring/asOf' }] });
    expect((await get(`/v1/audit/clients/${clientId}/history?asOf=2025-02-30`)).statusCode).toBe(400);
    expect((await get(`/v1/audit/clients/${clientId}/history?since=2025-01-01`)).statusCode).toBe(400);
    expect((await get('/v1/audit/clients/not-a-uuid/history')).statusCode).toBe(400);
    const unknown = await get('/v1/audit/clients/00000000-0000-4000-8000-000000000000/verify');
    expect(unknown.statusCode).toBe(404);
    expect(unknown.headers['content-type']).toMatch(/problem\+json/);
    const verified = await get(`/v1/audit/clients/${clientId}/verify`);
    expect(verified.json<{ ok: boolean; chains: unknown[] }>()).toMatchObject({ ok: true, chains: expect.any(Array) });
    expect(verified.json<{ chains: unknown[] }>().chains).toHaveLength(3); // client, referral, access request
  });

  it('CLI: prints the case history (now and as of a date), refuses bad arguments in one line', () => {
    const now = cli('replay', clientId);
    expect(now.code, now.err).toBe(0);
    expect(now.out).toMatch(/ClientRegistered .*client-/);
    expect(now.out).toContain('"familyName":"Newsurname"');
    expect(now.out).toContain(`org=${h.orgA}`);

    const then = cli('replay', clientId, '--as-of', betweenChanges);
    expect(then.code, then.err).toBe(0);
    expect(then.out).toContain('Oldsurname');
    expect(then.out).not.toContain('Newsurname');
    expect(then.out).not.toContain('ReferralRequested');

    for (const args of [['replay'], ['replay', clientId, '--as-of', 'soon'], ['replay', 'x'], ['frobnicate']]) {
      const bad = cli(...args);
      expect(bad.code, args.join(' ')).toBe(2);
      expect(bad.err.trim().split('\n'), args.join(' ')).toHaveLength(1);
      expect(bad.out).toBe('');
    }
    const unknown = cli('replay', '00000000-0000-4000-8000-000000000000');
    expect(unknown.code).toBe(2);
    expect(unknown.err).toMatch(/not found/);
  });

  it('CLI: verify passes, then a tampered row breaks the chain: exit 1 and the first broken link', async () => {
    const ok = cli('verify', clientId);
    expect(ok.code, ok.out + ok.err).toBe(0);
    expect(ok.out).toContain(`ok      client-${clientId}`);
    expect(cli('verify', '--all').code).toBe(0);

    const raw = await createSqliteDatabase({ path: resolve(h.dir, 'events.sqlite') });
    await raw.execute(
      `UPDATE events SET data = replace(data, '"written"', '"verbal"') WHERE stream_id = $1 AND revision = 1`,
      [`client-${clientId}`],
    );
    await raw.close();

    const broken = cli('verify', clientId);
    expect(broken.code).toBe(1);
    expect(broken.out).toContain(`BROKEN  client-${clientId} at revision 1`);
    expect(broken.out).toContain('HASH CHAIN BROKEN');
    const all = cli('verify');
    expect(all.code).toBe(1);
    expect(all.out).toContain(`BROKEN  client-${clientId} at revision 1`);
  });

  it('after erasure the history still replays, personal data reads as erased', async () => {
    const erased = await h.http.inject({
      method: 'DELETE',
      url: `/v1/clients/${clientId}`,
      headers: await h.headers(h.orgA, ['data_protection_officer']),
      payload: { reason: { code: 'data_subject_request' } },
    });
    expect(erased.statusCode, erased.body).toBe(204);
    const replay = cli('replay', clientId);
    expect(replay.code, replay.err).toBe(0);
    expect(replay.out).toMatch(/Personal data erased at \d{4}-/);
    expect(replay.out).toContain('personal data erased');
    expect(replay.out).not.toContain('Newsurname');
    expect(replay.out).toContain('ClientErased');
  });
});
