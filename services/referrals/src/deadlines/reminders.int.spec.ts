import { join } from 'node:path';
import { ConfigError } from '@estia/infra/config/loadConfig.js';
import { parseKeyEncryptionKey } from '@estia/infra/crypto/keyEncryptionKey.js';
import { createSqlKeyStore } from '@estia/infra/crypto/sqlKeyStore.js';
import { createSqliteEventStore } from '@estia/infra/eventStore/sqlite/sqliteEventStore.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { registerClient, startAuditHarness, type AuditHarness } from '../audit/auditTestHarness.js';
import { loadDeadlineConfig } from './deadlineConfig.js';
import { issueDueReminders } from './issueReminders.js';
import { REMINDER_ISSUED } from './reminderEvents.js';
import { remindersProjection } from './remindersProjection.js';
import { createSqlLeaseStore } from '@estia/infra/processors/leases.js';
import { createProcessorRuntime } from '@estia/infra/processors/runtime.js';
import { DEADLINE_REMINDERS_PROCESSOR, deadlineReminderProcessor } from './scheduler.js';

const inDays = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);
const person = (familyName: string, legalStatus: Record<string, unknown>) => ({
  givenNames: 'Sami',
  familyName,
  dateOfBirth: '1990-01-01',
  nationalities: ['SD'],
  languages: [{ language: 'ar', level: 'C2' }],
  legalStatus: { status: 'refugee', ...legalStatus },
});
const thresholds = { permitDays: 30, receptionDays: 14 };

describe('deadline reminders (SQLite, sealed dates, idempotent)', () => {
  let h: AuditHarness;
  let due: string;
  let erased: string;

  beforeAll(async () => {
    // The reminders projection is NOT registered with the projector here, as in main.ts today: the
    // route and the scheduler must bring it up to date themselves.
    h = await startAuditHarness({ registerReminders: false });
    due = await registerClient(
      h,
      person('Dueone', {
        workPermit: { validFrom: '2024-01-01', validUntil: inDays(20) },
        residencePermit: { validFrom: '2024-01-01', validUntil: inDays(200) },
        mustLeaveReceptionBy: inDays(10),
      }),
    );
    await registerClient(h, person('Notdue', { mustLeaveReceptionBy: inDays(40) }));
    erased = await registerClient(
      h,
      person('Erasedone', { workPermit: { validFrom: '2024-01-01', validUntil: inDays(5) } }),
    );
    const gone = await h.http.inject({
      method: 'DELETE',
      url: `/v1/clients/${erased}`,
      headers: await h.headers(h.orgA, ['data_protection_officer']),
      payload: { reason: { code: 'data_subject_request' } },
    });
    expect(gone.statusCode, gone.body).toBe(204);
    await h.projector.waitFor((await h.store.readAll()).at(-1)!.position);
  });
  afterAll(async () => h?.dispose());

  it('issues one reminder per due deadline and threshold, skips erased clients, never twice (even after a restart)', async () => {
    const first = await issueDueReminders(h, thresholds);
    expect(first.map((r) => `${r.clientId}:${r.deadline}:${r.thresholdDays}`).sort()).toEqual(
      [`${due}:reception_exit:14`, `${due}:work_permit:30`].sort(),
    );
    expect(first.every((r) => r.organisationId === h.orgA)).toBe(true);
    expect(await issueDueReminders(h, thresholds)).toEqual([]);

    // A "restarted" process: new store and key store connections on the same files.
    const store = createSqliteEventStore({ path: join(h.dir, 'events.sqlite') });
    const keysDb = await createSqliteDatabase({ path: join(h.dir, 'keys.sqlite') });
    const keyStore = await createSqlKeyStore(keysDb, { kek: parseKeyEncryptionKey(h.kekBase64) });
    try {
      expect(await issueDueReminders({ store, db: h.db, keyStore }, thresholds)).toEqual([]);
      // A lower threshold the date is not within issues nothing; a new threshold it is within, once.
      expect(await issueDueReminders({ store, db: h.db, keyStore }, { permitDays: 10, receptionDays: 14 })).toEqual([]);
      const tighter = await issueDueReminders({ store, db: h.db, keyStore }, { permitDays: 30, receptionDays: 12 });
      expect(tighter.map((r) => r.deadline)).toEqual(['reception_exit']);
    } finally {
      await store.close();
      await keysDb.close();
    }

    // The date is sealed in the log.
    const events = (await h.store.readAll()).filter((e) => e.type === REMINDER_ISSUED);
    expect(events).toHaveLength(3);
    expect(JSON.stringify(events)).not.toContain(inDays(20));
  });

  it('GET /v1/reminders: the owning organisation sees its reminders with the opened date', async () => {
    const officerA = await h.headers(h.orgA);
    const res = await h.http.inject({ method: 'GET', url: '/v1/reminders', headers: officerA });
    expect(res.statusCode, res.body).toBe(200);
    const items = res.json<{ items: { clientId: string; deadline: string; dueDate: string }[] }>().items;
    expect(items.map((i) => `${i.deadline}:${i.dueDate}`).sort()).toEqual(
      [`reception_exit:${inDays(10)}`, `reception_exit:${inDays(10)}`, `work_permit:${inDays(20)}`].sort(),
    );
    const forClient = await h.http.inject({
      method: 'GET',
      url: `/v1/reminders?clientId=${due}&limit=1`,
      headers: officerA,
    });
    expect(forClient.json<{ items: unknown[] }>().items).toHaveLength(1);

    const other = await h.http.inject({ method: 'GET', url: '/v1/reminders', headers: await h.headers(h.orgB) });
    expect(other.json()).toEqual({ items: [] });
    const notTheirs = await h.http.inject({
      method: 'GET',
      url: `/v1/reminders?clientId=${due}`,
      headers: await h.headers(h.orgB),
    });
    expect(notTheirs.statusCode).toBe(404);
  });

  it('bad input: 400 problem+json, unknown 404, erased 410 with erasedAt, auditors 403', async () => {
    const officerA = await h.headers(h.orgA);
    const get = (url: string, headers = officerA) => h.http.inject({ method: 'GET', url, headers });
    for (const url of [
      '/v1/reminders?clientId=nope',
      '/v1/reminders?limit=0',
      '/v1/reminders?limit=x',
      '/v1/reminders?who=1',
    ]) {
      const res = await get(url);
      expect(res.statusCode, url).toBe(400);
      expect(res.headers['content-type'], url).toMatch(/problem\+json/);
    }
    expect((await get('/v1/reminders?clientId=00000000-0000-4000-8000-000000000000')).statusCode).toBe(404);
    const gone = await get(`/v1/reminders?clientId=${erased}`);
    expect(gone.statusCode).toBe(410);
    expect(gone.json()).toMatchObject({ code: 'GONE', erasedAt: expect.stringMatching(/^\d{4}-/) });
    expect((await get('/v1/reminders', await h.headers(h.orgA, ['auditor']))).statusCode).toBe(403);
  });

  it('a renewed permit replaces its reminder: the stale one is gone and the schedule holds only weeks', async () => {
    const renewing = await registerClient(
      h,
      person('Renewer', { workPermit: { validFrom: '2024-01-01', validUntil: inDays(15) } }),
    );
    await h.projector.waitFor((await h.store.readAll()).at(-1)!.position);
    const issued = await issueDueReminders(h, thresholds);
    expect(issued.filter((r) => r.clientId === renewing).map((r) => r.deadline)).toEqual(['work_permit']);
    const officerA = await h.headers(h.orgA);
    const remindersOf = async () => {
      const { catchUpProjections } = await import('@estia/infra/projections/catchUp.js');
      await catchUpProjections(h.store, h.db, [remindersProjection(h.keyStore)]);
      const res = await h.http.inject({ method: 'GET', url: `/v1/reminders?clientId=${renewing}`, headers: officerA });
      return res.json<{ items: { deadline: string; dueDate: string }[] }>().items;
    };
    expect(await remindersOf()).toEqual([expect.objectContaining({ deadline: 'work_permit', dueDate: inDays(15) })]);
    // The schedule row gives the weeks to look in, not the date.
    const [row] = await h.db.query<{ check_from: string; check_until: string }>(
      'SELECT check_from, check_until FROM rf_reminder_schedule WHERE client_id = $1',
      [renewing],
    );
    expect(new Date(`${row!.check_from}T00:00:00Z`).getUTCDay()).toBe(1);
    expect(new Date(`${row!.check_until}T00:00:00Z`).getUTCDay()).toBe(0);

    const renewed = await h.http.inject({
      method: 'POST',
      url: `/v1/clients/${renewing}/legal-status`,
      headers: officerA,
      payload: { status: 'refugee', workPermit: { validFrom: '2024-01-01', validUntil: inDays(400) } },
    });
    expect(renewed.statusCode, renewed.body).toBeLessThan(300);
    await h.projector.waitFor((await h.store.readAll()).at(-1)!.position);
    expect(await remindersOf()).toEqual([]);
    expect((await issueDueReminders(h, thresholds)).filter((r) => r.clientId === renewing)).toEqual([]);
    expect(
      await h.db.query('SELECT 1 FROM rf_reminder_schedule WHERE client_id = $1 AND check_from <= $2', [
        renewing,
        inDays(0),
      ]),
    ).toEqual([]);
  });

  it('thresholds come from validated env; the scheduler runs on its own and stops cleanly', async () => {
    expect(loadDeadlineConfig({})).toEqual({ permitDays: 30, receptionDays: 14, intervalMs: 3_600_000 });
    expect(() => loadDeadlineConfig({ REMINDER_PERMIT_DAYS: '0' })).toThrow(ConfigError);
    expect(() => loadDeadlineConfig({ REMINDER_RECEPTION_DAYS: 'two weeks' })).toThrow(/REMINDER_RECEPTION_DAYS/);
    expect(() => deadlineReminderProcessor({ ...h, env: { REMINDER_INTERVAL_SECONDS: '-5' } })).toThrow(ConfigError);

    const late = await registerClient(h, person('Latecomer', { mustLeaveReceptionBy: inDays(3) }));
    await h.projector.waitFor((await h.store.readAll()).at(-1)!.position);
    const runtime = createProcessorRuntime({ leases: await createSqlLeaseStore(h.db) });
    const issued = await new Promise<{ clientId: string }[]>((resolve) => {
      runtime.add(
        deadlineReminderProcessor({
          ...h,
          env: { REMINDER_INTERVAL_SECONDS: '3600' },
          firstRunAfterMs: 0,
          onIssued: resolve,
        }),
      );
      runtime.start();
    });
    const [status] = await runtime.status();
    expect(status).toMatchObject({ name: DEADLINE_REMINDERS_PROCESSOR, state: 'running', leader: true, failures: 0 });
    await runtime.stop();
    expect((await runtime.status())[0]!.state).toBe('stopped');
    expect(issued.map((r) => r.clientId)).toEqual([late]);
  });
});
