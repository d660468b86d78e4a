import { randomUUID } from 'node:crypto';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { sampleData, sampleEnvelope } from '@estia/contracts/testing/sampleEvents.js';
import type { EventEnvelope } from '@estia/contracts';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { ensurePeopleTables } from '../projections/peopleProjection.js';
import { eventually } from '../webhooks/webhookTestKit.js';
import { NOTIFICATIONS_GROUP } from './enqueue.js';
import { notificationsModule } from './notificationsModule.js';
import { ensureNotificationTables } from './notificationTables.js';
import { savePreferences } from './preferencesStore.js';
import type { MailProcessor } from './mailProcessor.js';

const ORG_A = randomUUID();
const ORG_B = randomUUID();
const CLIENT_NAME = 'Amira Haddad';

describe('e-mail notifications', () => {
  const dir = mkdtempSync(join(tmpdir(), 'estia-mail-'));
  let db: SqlDatabase;
  let smtp: SMTPServer;
  let smtpUrl: string;
  const inbox: ParsedMail[] = [];
  const clock = Object.assign(() => new Date(clock.now), { now: new Date('2026-03-02T10:00:00.000Z') });
  const people = {
    officerA: randomUUID(),
    officerB: randomUUID(),
    greekOfficerB: randomUUID(),
    adminB: randomUUID(),
    coachB: randomUUID(),
  };

  beforeAll(async () => {
    db = await createSqliteDatabase({ path: join(dir, 'read.sqlite') });
    await ensurePeopleTables(db);
    await ensureNotificationTables(db);
    const person = (id: string, org: string, roles: string, email: string) =>
      db.execute(
        `INSERT INTO registry_people (id, email, display_name, organisation_id, roles, status, updated_at)
         VALUES ($1, $2, 'Staff', $3, $4, 'active', $5)`,
        [id, email, org, roles, clock().toISOString()],
      );
    await person(people.officerA, ORG_A, 'referral_officer', 'officer.a@example.org');
    await person(people.officerB, ORG_B, 'referral_officer', 'officer.b@example.org');
    await person(people.greekOfficerB, ORG_B, 'referral_officer', 'greek.b@example.org');
    await person(people.adminB, ORG_B, 'org_admin', 'admin.b@example.org');
    await person(people.coachB, ORG_B, 'job_coach', 'coach.b@example.org');
    await savePreferences(db, people.greekOfficerB, { language: 'el', kinds: {} }, clock());
    smtp = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS'],
      onData(stream, _session, callback) {
        simpleParser(stream).then((mail) => {
          inbox.push(mail);
          callback();
        }, callback);
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, '127.0.0.1', resolve));
    smtpUrl = `smtp://127.0.0.1:${(smtp.server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    await new Promise<void>((resolve) => smtp.close(() => resolve()));
    await db.close();
    rmSync(dir, { recursive: true, force: true });
  });
  beforeEach(() => void inbox.splice(0));

  const moduleWith = (smtpUrlOrFiles: string | undefined) =>
    notificationsModule({
      db,
      clock,
      dataDir: dir,
      smtpUrl: smtpUrlOrFiles,
      from: 'ESTIA <no-reply@estia.test>',
      consoleUrl: 'https://console.estia.test',
    });
  const referral = (status: string, previousStatus: string | null): EventEnvelope =>
    sampleEnvelope(
      'estia.referrals.referral.status-changed.v1',
      {
        ...sampleData['estia.referrals.referral.status-changed.v1']!,
        referralId: randomUUID(),
        fromOrganisationId: ORG_A,
        toOrganisationId: ORG_B,
        status: status as 'requested',
        previousStatus: previousStatus as 'requested',
        ...(status === 'rejected' ? { reasonCode: 'no_capacity' as const } : {}),
      },
      randomUUID(),
    ) as EventEnvelope;
  const consume = (m: ReturnType<typeof moduleWith>, envelope: EventEnvelope) =>
    db.transaction((tx) =>
      m.consumer.handle(tx, envelope, { topic: 't', partition: 0, offset: '0', key: 'k', attempt: 1 }),
    );

  it('a new referral reaches the receiving officers at once, over SMTP, in their language, with a reference and a link only', async () => {
    const m = moduleWith(smtpUrl);
    expect(m.consumer.group).toBe(NOTIFICATIONS_GROUP);
    const event = referral('requested', null);
    await consume(m, event);
    await consume(m, event); // a redelivery sends nothing twice
    let processor: MailProcessor | undefined;
    try {
      processor = m.start();
      await eventually('two e-mails', () => inbox.length >= 2);
      await eventually('all marked sent', () => processor!.state().sent === 2);
    } finally {
      await processor?.stop();
    }
    const to = inbox.map((mail) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)!.text).sort();
    // Officers of the receiving organisation: not its admin, not its job coach, not the sender.
    expect(to).toEqual(['greek.b@example.org', 'officer.b@example.org']);
    const english = inbox.find((mail) => (mail.to as { text: string }).text === 'officer.b@example.org')!;
    const greek = inbox.find((mail) => (mail.to as { text: string }).text === 'greek.b@example.org')!;
    expect(english.subject).toBe('ESTIA: New referral for your organisation');
    expect(greek.subject).toBe('ESTIA: Νέα παραπομπή για τον οργανισμό σας');
    const referralId = (event.data as { referralId: string }).referralId;
    for (const mail of [english, greek]) {
      expect(mail.text).toContain(referralId);
      expect(mail.text).toContain(`https://console.estia.test/referrals/${referralId}`);
      expect(mail.text).not.toContain(CLIENT_NAME);
    }
  });

  it('the sender hears of a decline at once and of an acceptance in the daily digest; "off" means off', async () => {
    const m = moduleWith(smtpUrl);
    await consume(m, referral('rejected', 'requested'));
    await consume(m, referral('accepted', 'requested'));
    await consume(m, referral('completed', 'in-progress'));
    await savePreferences(db, people.officerA, { language: 'fr', kinds: { 'referral-expired': 'off' } }, clock());
    await consume(m, referral('expired', 'requested'));
    const processor = m.start();
    try {
      await eventually('the immediate e-mail', () => inbox.length >= 1);
      expect(inbox).toHaveLength(1);
      expect(inbox[0]!.subject).toBe('ESTIA: Votre orientation a été refusée');
      clock.now = new Date('2026-03-03T07:00:00.000Z');
      processor.wake();
      await eventually('the digest', () => inbox.length >= 2);
    } finally {
      await processor.stop();
    }
    expect(inbox).toHaveLength(2);
    expect(inbox[1]!.subject).toBe('ESTIA: Votre résumé quotidien ESTIA');
    expect(inbox[1]!.text).toContain('Votre orientation a été acceptée');
    expect(inbox[1]!.text).toContain('Votre orientation est terminée');
    expect(inbox[1]!.text).not.toContain('expiré');
  });

  it("the holder's officers hear of an access request, of a deadline near and of a follow-up due: a reference and a link only", async () => {
    const m = moduleWith(smtpUrl);
    expect(m.consumer.topics).toContain('estia.matching');
    const accessRequestId = randomUUID();
    const reminderId = randomUUID();
    const placementId = randomUUID();
    await consume(
      m,
      sampleEnvelope(
        'estia.referrals.access-request.received.v1',
        { accessRequestId, holderOrganisationId: ORG_B, receivedAt: clock().toISOString() },
        randomUUID(),
      ) as EventEnvelope,
    );
    // The answer goes to the requester (ORG_A), never to the holder.
    await consume(
      m,
      sampleEnvelope(
        'estia.referrals.access-request.status-changed.v1',
        { accessRequestId, requesterOrganisationId: ORG_A, status: 'requested', changedAt: clock().toISOString() },
        randomUUID(),
      ) as EventEnvelope,
    );
    await consume(
      m,
      sampleEnvelope(
        'estia.referrals.deadline.approaching.v1',
        { reminderId, organisationId: ORG_B, deadline: 'residence_permit', issuedAt: clock().toISOString() },
        randomUUID(),
      ) as EventEnvelope,
    );
    await consume(
      m,
      sampleEnvelope(
        'estia.matching.placement.follow-up-due.v1',
        {
          placementId,
          coachOrganisationId: ORG_B,
          employerOrganisationId: ORG_A,
          monthsAfterStart: 3,
          announcedAt: clock().toISOString(),
        },
        randomUUID(),
      ) as EventEnvelope,
    );
    const processor = m.start();
    try {
      // At once: the access request to both officers of the holder.
      await eventually('the access-request e-mails', () => inbox.length >= 2);
      clock.now = new Date(clock.now.getTime() + 24 * 3_600_000);
      processor.wake();
      // In the next digest: the deadline (officers of B) and the follow-up (B's coach and admin; A, the
      // employer here, has officers only).
      await eventually('the digests', () => inbox.length >= 6);
    } finally {
      await processor.stop();
    }
    const to = (mail: ParsedMail) => (Array.isArray(mail.to) ? mail.to[0] : mail.to)!.text;
    const received = inbox.filter((mail) => mail.text?.includes(accessRequestId));
    expect(received.map(to).sort()).toEqual(['greek.b@example.org', 'officer.b@example.org']);
    expect(received.find((mail) => to(mail) === 'officer.b@example.org')!.subject).toBe(
      'ESTIA: An organisation asks for access to a case you hold',
    );
    expect(received.find((mail) => to(mail) === 'greek.b@example.org')!.subject).toBe(
      'ESTIA: Ένας οργανισμός ζητά πρόσβαση σε υπόθεση που τηρείτε',
    );
    for (const mail of received) expect(mail.text).toContain('https://console.estia.test/access-requests');
    const deadline = inbox.filter((mail) => mail.text?.includes(reminderId));
    expect(deadline.map(to).sort()).toEqual(['greek.b@example.org', 'officer.b@example.org']);
    expect(deadline.find((mail) => to(mail) === 'officer.b@example.org')!.text).toContain(
      "A client's deadline is approaching",
    );
    const followUp = inbox.filter((mail) => mail.text?.includes(placementId));
    expect(followUp.map(to).sort()).toEqual(['admin.b@example.org', 'coach.b@example.org']);
    expect(followUp[0]!.text).toContain('A placement follow-up is due');
    expect(inbox).toHaveLength(6);
    for (const mail of inbox) {
      expect(mail.text).not.toContain(CLIENT_NAME);
      // No date of the client's: the only dates in a message would be the ones we passed, and we pass none.
      expect(mail.text).not.toMatch(/\d{4}-\d{2}-\d{2}/);
    }
  });

  it('without SMTP_URL each message is an .eml file under DATA_DIR/mail, readable by its owner only', async () => {
    const m = moduleWith(undefined);
    await m.webhookDisabled({ id: 'sub-1', organisationId: ORG_B, failingSince: '2026-02-25T00:00:00.000Z' });
    const processor = m.start();
    const mailDir = join(dir, 'mail');
    try {
      await eventually('an .eml file', () => {
        try {
          return readdirSync(mailDir).some((f) => f.endsWith('.eml'));
        } catch {
          return false;
        }
      });
    } finally {
      await processor.stop();
    }
    const [file] = readdirSync(mailDir).filter((f) => f.endsWith('.eml'));
    expect(statSync(join(mailDir, file!)).mode & 0o777).toBe(0o600);
    expect(statSync(mailDir).mode & 0o777).toBe(0o700);
    const mail = await simpleParser(readFileSync(join(mailDir, file!)));
    expect((mail.to as { text: string }).text).toBe('admin.b@example.org');
    expect(mail.subject).toBe('ESTIA: A webhook subscription was disabled');
    expect(mail.text).toContain('https://console.estia.test/webhooks');
  });
});
