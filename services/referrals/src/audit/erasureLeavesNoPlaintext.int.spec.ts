import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import { afterAll, describe, expect, it } from 'vitest';
import { issueDueReminders } from '../deadlines/issueReminders.js';
import { startAuditHarness, registerClient, type AuditHarness } from './auditTestHarness.js';

const daysFromNow = (days: number): string => new Date(Date.now() + days * 86_400_000).toISOString().slice(0, 10);

// Distinctive values: none of them can occur in the system by accident.
const workPermitUntil = daysFromNow(20);
const receptionExit = daysFromNow(10);
const personal = {
  givenNames: 'Xanthippe Quillanova',
  familyName: 'Zorbadottir',
  otherNames: ['Qwillerana'],
  dateOfBirth: '1983-07-19',
  nationalities: ['SY'],
  languages: [{ language: 'ar', level: 'C2' }],
  contact: { phone: '+30 699 741 2583', email: 'xq.zorbadottir@example.org', address: 'Odos Kallidromiou 91' },
  legalStatus: {
    status: 'refugee',
    decisionDate: '2024-02-17',
    workPermit: { validFrom: '2024-02-18', validUntil: workPermitUntil },
    mustLeaveReceptionBy: receptionExit,
  },
  location: { country: 'GR', region: 'EL30', coordinates: { lat: 37.98765, lon: 23.72931 }, maxTravelKm: 37 },
  employment: {
    skills: ['http://data.europa.eu/esco/skill/ccd0a1d9-afda-43d9-b901-96344886e14d'],
    occupations: [],
    drivingLicences: ['B'],
    availability: { from: '2025-09-14', opportunityKinds: ['job'] },
  },
};
const referralMessage = 'Needs a ground-floor flat near Kypseli park';
const threadMessage = 'Wheelchair ramp confirmed for Thursday';
const needNotes = 'Chronic asthma, inhaler twice daily';

const PLAINTEXT = [
  personal.givenNames,
  personal.familyName,
  personal.otherNames[0]!,
  personal.dateOfBirth,
  personal.contact.phone,
  personal.contact.email,
  personal.contact.address,
  '2024-02-17',
  workPermitUntil,
  receptionExit,
  '37.98765',
  referralMessage,
  threadMessage,
  needNotes,
];

// Someone who stays: found through the caseload search, and still nowhere in plaintext at rest.
const live = {
  givenNames: 'Ioanna Perpetua',
  familyName: 'Vrettakouli',
  dateOfBirth: '1979-12-03',
  nationalities: ['GR'],
  languages: [{ language: 'el', level: 'C2' }],
  legalStatus: { status: 'refugee' },
};

/** Every file under `dir` (databases, WAL/SHM files, key files), recursively. */
const filesUnder = (dir: string): string[] =>
  readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
/** Every folder under `dir`, itself included. */
const foldersUnder = (dir: string): string[] => [
  dir,
  ...readdirSync(dir)
    .map((name) => join(dir, name))
    .filter((path) => statSync(path).isDirectory())
    .flatMap(foldersUnder),
];

describe('erasure (GDPR art. 17): no plaintext survives anywhere the system writes', () => {
  let h: AuditHarness;
  const leaks: string[] = [];
  afterAll(async () => h?.dispose());

  it('register, refer, message, share with matching over the real relay, erase: then no byte of it remains', async () => {
    h = await startAuditHarness({ relay: true });
    const officerA = await h.headers(h.orgA);
    const officerB = await h.headers(h.orgB);
    const clientId = await registerClient(h, personal);
    const liveId = await registerClient(h, live);
    // Found by a transliterated name and by the date of birth, though no table holds either.
    for (const q of ['Βρεττακούλη', 'vretakouli ioana', live.dateOfBirth]) {
      const found = await h.http.inject({
        method: 'GET',
        url: `/v1/clients?q=${encodeURIComponent(q)}`,
        headers: officerA,
      });
      expect(found.statusCode, found.body).toBe(200);
      expect(
        found.json<{ items: { clientId: string }[] }>().items.map((c) => c.clientId),
        q,
      ).toEqual([liveId]);
    }

    const need = await h.http.inject({
      method: 'POST',
      url: `/v1/clients/${clientId}/needs`,
      headers: officerA,
      payload: { category: 'housing', priority: 'high', notes: needNotes },
    });
    expect(need.statusCode, need.body).toBe(201);
    const sent = await h.http.inject({
      method: 'POST',
      url: '/v1/referrals',
      headers: officerA,
      payload: { clientId, serviceId: h.housingAtB, share: ['needs', 'languages'], message: referralMessage },
    });
    expect(sent.statusCode, sent.body).toBe(201);
    const { referralId } = sent.json<{ referralId: string }>();
    expect(
      (
        await h.http.inject({
          method: 'POST',
          url: `/v1/referrals/${referralId}/accept`,
          headers: officerB,
          payload: {},
        })
      ).statusCode,
    ).toBe(204);
    const posted = await h.http.inject({
      method: 'POST',
      url: `/v1/referrals/${referralId}/messages`,
      headers: officerB,
      payload: { text: threadMessage },
    });
    expect(posted.statusCode, posted.body).toBe(201);
    const matching = await h.http.inject({
      method: 'POST',
      url: `/v1/clients/${clientId}/consents`,
      headers: officerA,
      payload: {
        purpose: 'job_matching',
        scope: ['legal_status', 'legal_status_dates', 'location', 'availability', 'languages', 'skills'],
        method: 'written',
      },
    });
    expect(matching.statusCode, matching.body).toBe(201);

    // Deadline reminders (sealed due dates) and an auditor's replay: both open the data while it exists.
    expect(await issueDueReminders(h, { permitDays: 30, receptionDays: 14 })).toHaveLength(2);
    const reminders = await h.http.inject({ method: 'GET', url: '/v1/reminders', headers: officerA });
    expect(reminders.statusCode, reminders.body).toBe(200);
    expect(
      reminders
        .json<{ items: { dueDate: string }[] }>()
        .items.map((r) => r.dueDate)
        .sort(),
    ).toEqual([receptionExit, workPermitUntil].sort());
    const auditor = await h.headers(h.orgB, ['auditor']);
    const before = await h.http.inject({
      method: 'GET',
      url: `/v1/audit/clients/${clientId}/history`,
      headers: auditor,
    });
    expect(before.body).toContain(personal.familyName);

    // The relay published every public event of the case, the candidate profile for matching included.
    await waitForRelay(h);
    const topicBefore = await busPayloads(h);
    expect(topicBefore).toContain('estia.referrals.client.candidate-profile-shared.v1');

    const erased = await h.http.inject({
      method: 'DELETE',
      url: `/v1/clients/${clientId}`,
      headers: await h.headers(h.orgA, ['data_protection_officer']),
      payload: { reason: { code: 'data_subject_request' } },
    });
    expect(erased.statusCode, erased.body).toBe(204);
    await waitForRelay(h);
    await h.projector.waitFor((await h.store.readAll()).at(-1)!.position);
    expect(await busPayloads(h)).toContain('estia.referrals.client.erased.v1');

    // The history still replays — the person reads as erased — and every chain of the case verifies.
    const after = await h.http.inject({
      method: 'GET',
      url: `/v1/audit/clients/${clientId}/history`,
      headers: auditor,
    });
    expect(after.statusCode, after.body).toBe(200);
    const history = after.json<{ erasedAt: string; events: { personal: { status: string } }[] }>();
    expect(history.erasedAt).toEqual(expect.any(String));
    expect(history.events.filter((e) => e.personal.status === 'open')).toEqual([]);
    expect(history.events.filter((e) => e.personal.status === 'erased').length).toBeGreaterThan(4);
    const verified = await h.http.inject({
      method: 'GET',
      url: `/v1/audit/clients/${clientId}/verify`,
      headers: auditor,
    });
    expect(verified.json()).toMatchObject({ ok: true });
    expect(after.body).not.toContain(personal.familyName);

    // Close everything: SQLite checkpoints its WAL into the database on the last close.
    const logs = h.logLines.join('\n');
    await h.close();
    const files = filesUnder(h.dataDir);
    expect(files.map((f) => f.slice(h.dataDir.length))).toEqual(
      expect.arrayContaining([
        '/bus.sqlite',
        '/referrals/events.sqlite',
        '/referrals/read.sqlite',
        '/referrals/keys.sqlite',
      ]),
    );
    for (const file of files) {
      const bytes = readFileSync(file);
      for (const value of [...PLAINTEXT, live.familyName, live.dateOfBirth])
        if (bytes.includes(value, 0, 'utf8')) leaks.push(`${file.slice(h.dataDir.length)}: ${value}`);
    }
    // Readable by the service's user only: every file 0600, every folder 0700.
    const mode = (path: string): string => (statSync(path).mode & 0o777).toString(8);
    expect(files.filter((f) => mode(f) !== '600').map((f) => `${f} ${mode(f)}`)).toEqual([]);
    expect(
      foldersUnder(h.dataDir)
        .filter((d) => mode(d) !== '700')
        .map((d) => `${d} ${mode(d)}`),
    ).toEqual([]);
    for (const value of PLAINTEXT) if (logs.includes(value)) leaks.push(`log: ${value}`);
    expect(h.logLines.length).toBeGreaterThan(10);
    expect(leaks.filter((l) => !l.startsWith('/bus.sqlite'))).toEqual([]);
  });

  // The bus too: the candidate profile shared with matching (legal-status dates, in plaintext by contract)
  // went onto the embedded bus; the relay's forget for client.erased blanks it in place (bus_log is a
  // rowid table so that no page split ever left a stale copy behind) and truncates the WAL.
  it('the bus file holds nothing of the erased client either', () => {
    expect(leaks).toEqual([]);
  });
});

async function waitForRelay(h: AuditHarness): Promise<void> {
  const last = (await h.store.readAll()).at(-1)!.position;
  for (let i = 0; i < 400 && (h.relay!.position() ?? 0) < last; i++) await new Promise((r) => setTimeout(r, 25));
  expect(h.relay!.position()).toBeGreaterThanOrEqual(last);
}

/** What the embedded bus holds, read through its own file. */
async function busPayloads(h: AuditHarness): Promise<string> {
  const bus = await createSqliteDatabase({ path: join(h.dataDir, 'bus.sqlite') });
  try {
    return (await bus.query<{ value: string }>('SELECT value FROM bus_log')).map((r) => r.value).join('\n');
  } finally {
    await bus.close();
  }
}
