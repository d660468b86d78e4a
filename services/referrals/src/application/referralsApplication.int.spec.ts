import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseKeyEncryptionKey } from '@estia/infra/crypto/keyEncryptionKey.js';
import type { KeyStore } from '@estia/infra/crypto/keyStore.js';
import { createSqlKeyStore } from '@estia/infra/crypto/sqlKeyStore.js';
import { createSqliteEventStore } from '@estia/infra/eventStore/sqlite/sqliteEventStore.js';
import type { EventStore } from '@estia/infra/eventStore/types.js';
import { createPostgresDatabase } from '@estia/infra/sql/postgresDatabase.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import { PG_URL, dropSchema, postgresAvailable, randomSchemaName } from '@estia/infra/testing/postgres.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { ClientPersonalData } from '../domain/clients/clientData.js';
import type { Actor } from '../domain/shared/actor.js';
import { clientAccess, maySeeReferral } from '../projections/access.js';
import {
  clientOverview,
  countsByStatus,
  inbox,
  outbox,
  overdueReferrals,
  referralMessages,
} from '../projections/queries.js';
import { catchUpProjections } from '@estia/infra/projections/catchUp.js';
import { referralsReadModelProjection } from '../projections/readModelProjection.js';
import { openPersonalPart, personalPartIsSealed } from './personalCodec.js';
import { expireOverdue } from './expiryScheduler.js';
import { createReferralsApplication, type ReferralsApplication } from './referralsApplication.js';
import { createBlindIndex } from './blindIndex.js';
import { applyRegistryFacts, membershipChanged, servicePublished } from '../testing/registryEvents.js';

const ORG_A = randomUUID();
const ORG_B = randomUUID();
const ORG_C = randomUUID();
const ORG_SUSPENDED = randomUUID();
const HOUSING_AT_B = randomUUID();
const LEGAL_AT_C = randomUUID();
const HOUSING_AT_SUSPENDED = randomUUID();

const officerA: Actor = { organisationId: ORG_A, userId: 'u-a', roles: ['referral_officer'] };
const officerB: Actor = { organisationId: ORG_B, userId: 'u-b', roles: ['referral_officer'] };
const officerC: Actor = { organisationId: ORG_C, userId: 'u-c', roles: ['referral_officer'] };
const adminA: Actor = { organisationId: ORG_A, userId: 'u-admin', roles: ['org_admin'] };
const dpoA: Actor = { organisationId: ORG_A, userId: 'u-dpo', roles: ['data_protection_officer'] };

const amira: ClientPersonalData = {
  givenNames: 'Amira',
  familyName: 'Haddad',
  dateOfBirth: '1990-05-04',
  nationalities: ['SY'],
  languages: [{ language: 'ar', level: 'C2', native: true }],
  contact: { phone: '+30 690 000 0000' },
  legalStatus: { status: 'asylum_seeker', applicationDate: '2025-02-01' },
};

const pgAvailable = await postgresAvailable();

// The event store is SQLite in both; the read models and the key store run on each SqlDatabase adapter.
const readModelDatabases = [
  {
    name: 'SQLite',
    skip: false,
    open: async (dir: string) => ({
      db: await createSqliteDatabase({ path: join(dir, 'read.sqlite') }),
      keysDb: await createSqliteDatabase({ path: join(dir, 'keys.sqlite') }),
      drop: async () => undefined,
    }),
  },
  {
    name: 'PostgreSQL',
    skip: !pgAvailable,
    open: async () => {
      const schema = randomSchemaName('referrals');
      return {
        db: await createPostgresDatabase({ url: PG_URL, schema, max: 4 }),
        keysDb: await createPostgresDatabase({ url: PG_URL, schema: `${schema}_keys`, max: 2 }),
        drop: async () => {
          await dropSchema(schema);
          await dropSchema(`${schema}_keys`);
        },
      };
    },
  },
];

for (const { name, skip, open } of readModelDatabases)
  describe.skipIf(skip)(`referrals application, read models and keys on ${name}`, () => {
    let dir: string;
    let drop: () => Promise<void>;
    let store: EventStore;
    let db: SqlDatabase;
    let keysDb: SqlDatabase;
    let keyStore: KeyStore;
    let clock: Date;
    let app: ReferralsApplication;
    const blindIndex = createBlindIndex(randomBytes(32));
    const project = () => catchUpProjections(store, db, [referralsReadModelProjection(keyStore, blindIndex)]);

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'referrals-app-'));
      store = createSqliteEventStore({ path: join(dir, 'events.sqlite') });
      ({ db, keysDb, drop } = await open(dir));
      // As in production: keys on their own connection (the projection opens keys inside its transaction).
      keyStore = await createSqlKeyStore(keysDb, { kek: parseKeyEncryptionKey(randomBytes(32).toString('base64')) });
      clock = new Date('2025-06-01T10:00:00.000Z');
      app = createReferralsApplication({ store, db, keyStore, blindIndex, clock: () => clock });
      await referralsReadModelProjection(keyStore, blindIndex).migrate(db);
      await applyRegistryFacts(db, [
        membershipChanged(ORG_A),
        membershipChanged(ORG_B),
        membershipChanged(ORG_C),
        membershipChanged(ORG_SUSPENDED, 'suspended'),
        servicePublished({ serviceId: HOUSING_AT_B, organisationId: ORG_B, category: 'housing' }),
        servicePublished({ serviceId: LEGAL_AT_C, organisationId: ORG_C, category: 'legal' }),
        servicePublished({ serviceId: HOUSING_AT_SUSPENDED, organisationId: ORG_SUSPENDED, category: 'housing' }),
      ]);
    });

    afterEach(async () => {
      await store.close();
      await db.close();
      await keysDb.close();
      await drop();
      rmSync(dir, { recursive: true, force: true });
    });

    const registerAmira = async (options: { confirmedNew?: boolean } = {}): Promise<string> => {
      const clientId = randomUUID();
      await app.registerClient({ actor: officerA }, { clientId, personal: amira, ...options });
      await app.clientCommand(
        { actor: officerA },
        {
          type: 'GiveConsent',
          clientId,
          consentId: randomUUID(),
          purpose: 'referral',
          recipient: { serviceCategory: 'housing' },
          scope: ['needs', 'languages'],
          method: 'written',
          expiresAt: null,
        },
      );
      await project();
      return clientId;
    };

    it('stores personal data only as ciphertext, and opens it with the client key', async () => {
      const clientId = await registerAmira();
      const all = await store.readAll();
      const raw = JSON.stringify(all);
      for (const plaintext of ['Amira', 'Haddad', '1990-05-04', '690 000']) expect(raw).not.toContain(plaintext);
      expect(all.every(personalPartIsSealed)).toBe(true);
      const registered = all.find((e) => e.type === 'ClientRegistered')!;
      expect(registered.metadata.actor).toEqual({ organisationId: ORG_A, userId: 'u-a' });
      expect(await openPersonalPart(keyStore, registered)).toMatchObject({
        givenNames: 'Amira',
        dateOfBirth: '1990-05-04',
      });
      expect(await clientAccess(db, ORG_A, clientId, clock.toISOString())).toMatchObject({
        allowed: true,
        basis: 'registered',
      });
    });

    it('names likely duplicates of the own caseload across spellings; the officer may confirm a new client', async () => {
      const clientId = await registerAmira();
      const lookalike = { ...amira, givenNames: 'Ameera', familyName: 'Al-Haddad' };
      await expect(
        app.registerClient({ actor: officerA }, { clientId: randomUUID(), personal: lookalike }),
      ).rejects.toMatchObject({
        code: 'BUSINESS_RULE_VIOLATED',
        extensions: { rule: 'likely_duplicates', candidates: [{ clientId, score: expect.any(Number) }] },
      });
      const confirmed = await app.registerClient(
        { actor: officerA },
        { clientId: randomUUID(), personal: lookalike, confirmedNew: true },
      );
      expect(confirmed.events[0]!.type).toBe('ClientRegistered');
    });

    /** officerC meets Amira (registered by A): the answer, the token, the request. */
    const tokenFor = async (actor: Actor, personal: ClientPersonalData = amira): Promise<string> => {
      const refused = await app
        .registerClient({ actor }, { clientId: randomUUID(), personal })
        .then(() => expect.unreachable('registered a likely duplicate'))
        .catch((error: unknown) => error as { extensions: { rule: string; accessRequest: { token: string } } });
      expect(refused.extensions.rule).toBe('possibly_known_in_network');
      return refused.extensions.accessRequest.token;
    };

    it('tells another organisation only that the person may be known, and no id, data or score', async () => {
      const clientId = await registerAmira();
      const lookalike = { ...amira, givenNames: 'Ameera', familyName: 'Al-Haddad' };
      const error = (await app
        .registerClient({ actor: officerC }, { clientId: randomUUID(), personal: lookalike })
        .then(
          () => expect.unreachable('registered a likely duplicate'),
          (e: unknown) => e,
        )) as { code: string; message: string; extensions: Record<string, unknown> };
      expect(error).toMatchObject({
        code: 'BUSINESS_RULE_VIOLATED',
        extensions: { rule: 'possibly_known_in_network' },
      });
      const told = JSON.stringify({ message: error.message, extensions: error.extensions });
      for (const secret of [clientId, 'Amira', 'Haddad', '1990', 'score', ORG_A]) expect(told).not.toContain(secret);
      // Unrelated data: no hint at all, and the registration goes through.
      const other = { ...amira, givenNames: 'Olena', familyName: 'Koval', dateOfBirth: '1975-01-30' };
      await app.registerClient({ actor: officerC }, { clientId: randomUUID(), personal: other });
      await project();
      expect((await clientAccess(db, ORG_C, clientId, clock.toISOString())).allowed).toBe(false);
    });

    it('turns the token into an access request; the holder approves with the client consent, access follows its scope', async () => {
      const clientId = await registerAmira();
      const token = await tokenFor(officerC);
      // Bound to whom it was issued to: another organisation's officer cannot use it.
      await expect(
        app.requestAccess(
          { actor: officerB },
          { accessRequestId: randomUUID(), token, purpose: 'continuity_of_care', scope: ['needs'] },
        ),
      ).rejects.toMatchObject({ code: 'BUSINESS_RULE_VIOLATED', errors: [{ pointer: '/body/token' }] });
      const accessRequestId = randomUUID();
      await app.requestAccess(
        { actor: officerC },
        { accessRequestId, token, purpose: 'continuity_of_care', scope: ['needs', 'languages'] },
      );
      await project();
      // Requested is not access; and one request at a time.
      expect((await clientAccess(db, ORG_C, clientId, clock.toISOString())).allowed).toBe(false);
      await expect(
        app.requestAccess(
          { actor: officerC },
          { accessRequestId: randomUUID(), token, purpose: 'x', scope: ['needs'] },
        ),
      ).rejects.toMatchObject({ code: 'CONFLICT' });
      // Only the holder answers; anyone else is told the request does not exist.
      await expect(
        app.answerAccessRequest(
          { actor: officerB },
          {
            type: 'ApproveAccessRequest',
            accessRequestId,
            consent: {
              consentId: randomUUID(),
              purpose: 'continuity_of_care',
              scope: ['needs'],
              method: 'written',
              expiresAt: null,
            },
          },
        ),
      ).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'access request not found' });
      await app.answerAccessRequest(
        { actor: officerA },
        {
          type: 'ApproveAccessRequest',
          accessRequestId,
          consent: {
            consentId: randomUUID(),
            purpose: 'continuity_of_care',
            scope: ['needs'],
            method: 'verbal',
            expiresAt: null,
          },
        },
      );
      await project();
      expect(await clientAccess(db, ORG_C, clientId, clock.toISOString())).toEqual({
        allowed: true,
        basis: 'access_request',
        share: ['needs'],
      });
      // Access, not holding: the requester cannot correct the case or record consents.
      await expect(
        app.clientCommand(
          { actor: officerC },
          { type: 'CorrectPersonalData', clientId, personal: { familyName: 'X' } },
        ),
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
      // The holder revokes (the client withdrew that consent): access ends at once.
      await app.answerAccessRequest(
        { actor: officerA },
        { type: 'RevokeAccess', accessRequestId, reason: { code: 'consent_withdrawn' } },
      );
      await project();
      expect((await clientAccess(db, ORG_C, clientId, clock.toISOString())).allowed).toBe(false);
      const types = (await store.readStream(`access-request-${accessRequestId}`)).map((e) => e.type);
      expect(types).toEqual(['AccessRequested', 'AccessRequestApproved', 'AccessRevoked']);
    });

    it('a declined or expired request grants nothing; an expired token is refused', async () => {
      const clientId = await registerAmira();
      const token = await tokenFor(officerC);
      const accessRequestId = randomUUID();
      await app.requestAccess(
        { actor: officerC },
        { accessRequestId, token, purpose: 'legal_assistance', scope: ['needs'] },
      );
      await app.answerAccessRequest(
        { actor: officerA },
        {
          type: 'DeclineAccessRequest',
          accessRequestId,
          reason: { code: 'client_refused', note: 'does not want to share with C' },
        },
      );
      await project();
      expect((await clientAccess(db, ORG_C, clientId, clock.toISOString())).allowed).toBe(false);
      const declined = (await store.readStream(`access-request-${accessRequestId}`)).at(-1)!;
      expect(JSON.stringify(declined.data)).not.toContain('does not want');
      clock = new Date(clock.getTime() + 16 * 60_000);
      await expect(
        app.requestAccess(
          { actor: officerC },
          { accessRequestId: randomUUID(), token, purpose: 'x', scope: ['needs'] },
        ),
      ).rejects.toMatchObject({ code: 'BUSINESS_RULE_VIOLATED', errors: [{ pointer: '/body/token' }] });
    });

    it('runs the closed loop: consent-checked send, inbox, accept opens access, thread, completion', async () => {
      const clientId = await registerAmira();
      const referralId = randomUUID();
      await app.sendReferral(
        { actor: officerA },
        { referralId, clientId, serviceId: HOUSING_AT_B, share: ['needs'], message: 'Family of four' },
      );
      await project();
      expect((await inbox(db, ORG_B, { status: 'requested' })).items.map((r) => r.referralId)).toEqual([referralId]);
      expect((await outbox(db, ORG_A)).items.map((r) => r.status)).toEqual(['requested']);
      // Requested is not enough to see the client.
      expect((await clientAccess(db, ORG_B, clientId, clock.toISOString())).allowed).toBe(false);
      expect(await maySeeReferral(db, ORG_C, referralId)).toBe(false);

      await app.referralCommand({ actor: officerB }, { type: 'AcceptReferral', referralId });
      await app.referralCommand(
        { actor: officerB },
        {
          type: 'PostReferralMessage',
          referralId,
          messageId: randomUUID(),
          personal: { text: 'Can she come on Tuesday?' },
        },
      );
      await project();
      expect(await clientAccess(db, ORG_B, clientId, clock.toISOString())).toEqual({
        allowed: true,
        basis: 'referral',
        share: ['needs'],
      });
      expect((await referralMessages(db, keyStore, referralId)).map((m) => m.text)).toEqual([
        'Can she come on Tuesday?',
      ]);

      await app.referralCommand({ actor: officerB }, { type: 'StartReferral', referralId });
      await app.referralCommand({ actor: officerB }, { type: 'CompleteReferral', referralId, outcome: 'need_met' });
      await project();
      expect(await countsByStatus(db, ORG_B, '2099-01-01T00:00:00.000Z')).toEqual({
        received: { completed: 1 },
        sent: {},
        overdue: { received: 0, sent: 0 },
      });
      expect((await clientOverview(db, clientId)).referrals.map((r) => [r.status, r.outcome])).toEqual([
        ['completed', 'need_met'],
      ]);
    });

    it('refuses a referral without consent (422), to a suspended receiver, or from a stranger', async () => {
      const clientId = await registerAmira();
      await expect(
        app.sendReferral(
          { actor: officerA },
          { referralId: randomUUID(), clientId, serviceId: LEGAL_AT_C, share: ['needs'] },
        ),
      ).rejects.toMatchObject({ code: 'BUSINESS_RULE_VIOLATED', status: 422 });
      await expect(
        app.sendReferral(
          { actor: officerA },
          { referralId: randomUUID(), clientId, serviceId: HOUSING_AT_SUSPENDED, share: ['needs'] },
        ),
      ).rejects.toMatchObject({ code: 'BUSINESS_RULE_VIOLATED', message: expect.stringMatching(/may not exchange/) });
      await expect(
        app.sendReferral(
          { actor: officerC },
          { referralId: randomUUID(), clientId, serviceId: HOUSING_AT_B, share: ['needs'] },
        ),
      ).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'client not found' });
      expect(await store.listStreams({ prefix: 'referral-' })).toEqual([]);
    });

    it('withdrawing consent removes the receiver’s access at once', async () => {
      const clientId = await registerAmira();
      const referralId = randomUUID();
      await app.sendReferral({ actor: officerA }, { referralId, clientId, serviceId: HOUSING_AT_B, share: ['needs'] });
      await app.referralCommand({ actor: officerB }, { type: 'AcceptReferral', referralId });
      await project();
      const [consent] = (await clientOverview(db, clientId)).consents;
      clock = new Date('2025-06-02T10:00:00.000Z');
      await app.withdrawConsent(
        { actor: officerB },
        { clientId, consentId: consent!.consentId, reason: { code: 'client_request' } },
      );
      await project();
      expect((await clientAccess(db, ORG_B, clientId, clock.toISOString())).allowed).toBe(false);
    });

    it('forwards to another organisation with a new linked referral, checking consent again', async () => {
      const clientId = await registerAmira();
      const referralId = randomUUID();
      await app.sendReferral({ actor: officerA }, { referralId, clientId, serviceId: HOUSING_AT_B, share: ['needs'] });
      // No consent covers legal services at C: nothing is written.
      await expect(
        app.forwardReferral(
          { actor: officerB },
          {
            referralId,
            newReferralId: randomUUID(),
            serviceId: LEGAL_AT_C,
            share: ['needs'],
            reason: { code: 'better_suited' },
          },
        ),
      ).rejects.toMatchObject({ code: 'BUSINESS_RULE_VIOLATED' });
      expect(await store.streamVersion(`referral-${referralId}`)).toBe(0);

      await app.clientCommand(
        { actor: officerA },
        {
          type: 'GiveConsent',
          clientId,
          consentId: randomUUID(),
          purpose: 'referral',
          recipient: { organisationId: ORG_C },
          scope: ['needs'],
          method: 'verbal',
          expiresAt: null,
        },
      );
      await project();
      const newReferralId = randomUUID();
      await app.forwardReferral(
        { actor: officerB },
        { referralId, newReferralId, serviceId: LEGAL_AT_C, share: ['needs'], reason: { code: 'better_suited' } },
      );
      await project();
      expect(
        (await inbox(db, ORG_C)).items.map((r) => [r.referralId, r.forwardedFrom, r.senderOrganisationId]),
      ).toEqual([[newReferralId, referralId, ORG_B]]);
      expect((await outbox(db, ORG_A)).items.map((r) => [r.status, r.reasonCode])).toEqual([['rejected', 'forwarded']]);
    });

    it('expires unanswered referrals past their response time, and only those', async () => {
      const clientId = await registerAmira();
      // Another client: one client has at most one open referral to a service.
      await project();
      const otherClientId = await registerAmira({ confirmedNew: true });
      const late = randomUUID();
      const answered = randomUUID();
      await app.sendReferral(
        { actor: officerA },
        { referralId: late, clientId, serviceId: HOUSING_AT_B, share: ['needs'] },
      );
      await app.sendReferral(
        { actor: officerA },
        { referralId: answered, clientId: otherClientId, serviceId: HOUSING_AT_B, share: ['needs'] },
      );
      await app.referralCommand({ actor: officerB }, { type: 'AcceptReferral', referralId: answered });
      await project();
      expect(await overdueReferrals(db, '2025-06-03T09:59:59.000Z')).toEqual([]);
      const due = await overdueReferrals(db, '2025-06-03T10:00:00.000Z');
      expect(due.map((r) => r.referralId)).toEqual([late]);
      await expect(app.expireReferral(answered, '2025-06-03T10:00:00.000Z')).rejects.toMatchObject({
        code: 'ILLEGAL_TRANSITION',
      });
      // The scheduler's run: a referral answered after the read model listed it is skipped, not an error.
      await app.referralCommand(
        { actor: officerB },
        { type: 'RejectReferral', referralId: late, reason: { code: 'no_capacity' } },
      );
      expect(await expireOverdue(app, db, '2025-06-03T10:00:00.000Z')).toEqual([]);
      const later = randomUUID();
      await app.sendReferral(
        { actor: officerA },
        { referralId: later, clientId, serviceId: HOUSING_AT_B, share: ['needs'] },
      );
      await project();
      expect((await countsByStatus(db, ORG_A, '2025-06-03T10:00:00.000Z')).overdue).toEqual({ received: 0, sent: 1 });
      expect(await expireOverdue(app, db, '2025-06-03T10:00:00.000Z')).toEqual([later]);
      await project();
      expect(await countsByStatus(db, ORG_A, '2025-06-03T10:00:00.000Z')).toEqual({
        received: {},
        sent: { accepted: 1, expired: 1, rejected: 1 },
        overdue: { received: 0, sent: 0 },
      });
    });

    it('erases: the key is destroyed, read models forget the person, the chain still verifies', async () => {
      const clientId = await registerAmira();
      const referralId = randomUUID();
      await app.sendReferral({ actor: officerA }, { referralId, clientId, serviceId: HOUSING_AT_B, share: ['needs'] });
      await app.referralCommand(
        { actor: officerA },
        { type: 'PostReferralMessage', referralId, messageId: randomUUID(), personal: { text: 'private detail' } },
      );
      await app.needsCommand(
        { actor: officerA },
        {
          type: 'AssessNeed',
          clientId,
          needId: randomUUID(),
          assessmentId: randomUUID(),
          category: 'housing',
          priority: 'urgent',
          notes: 'sleeps outside',
        },
      );
      await project();
      expect(
        (await db.query('SELECT client_id FROM rf_client_terms WHERE client_id = $1', [clientId])).length,
      ).toBeGreaterThan(3);

      const reason = { code: 'data_subject_request' };
      await expect(app.eraseClient({ actor: officerA }, { clientId, reason })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      await expect(app.eraseClient({ actor: adminA }, { clientId, reason })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      await expect(
        app.eraseClient({ actor: { ...dpoA, organisationId: ORG_C } }, { clientId, reason }),
      ).rejects.toMatchObject({ code: 'NOT_FOUND', message: 'client not found' });
      await app.eraseClient({ actor: dpoA }, { clientId, reason });
      await project();

      expect((await keyStore.getKey(clientId))?.status).toBe('erased');
      expect(await db.query('SELECT * FROM rf_client_terms WHERE client_id = $1', [clientId])).toEqual([]);
      // The receiver of the referral is told (GDPR art. 19), and only it learns the client is gone.
      expect(
        await db.query('SELECT organisation_id, reason_code FROM rf_erasure_notices WHERE client_id = $1', [clientId]),
      ).toEqual([{ organisation_id: ORG_B, reason_code: 'data_subject_request' }]);
      expect(await clientAccess(db, ORG_B, clientId, clock.toISOString())).toMatchObject({
        erasedAt: expect.any(String),
      });
      expect(await clientAccess(db, ORG_C, clientId, clock.toISOString())).toEqual({
        allowed: false,
        basis: null,
        share: [],
      });
      expect(await referralMessages(db, keyStore, referralId)).toEqual([]);
      const registered = (await store.readStream(`client-${clientId}`))[0]!;
      expect(await openPersonalPart(keyStore, registered)).toMatchObject({ erased: true });
      expect((await store.verifyStream(`client-${clientId}`)).ok).toBe(true);
      expect((await clientAccess(db, ORG_A, clientId, clock.toISOString())).allowed).toBe(false);
      // Nothing new may be recorded about an erased person.
      await expect(
        app.needsCommand(
          { actor: officerA },
          {
            type: 'AssessNeed',
            clientId,
            needId: randomUUID(),
            assessmentId: randomUUID(),
            category: 'legal',
            priority: 'low',
          },
        ),
      ).rejects.toMatchObject({ code: 'GONE' });
      await expect(
        app.referralCommand(
          { actor: officerB },
          { type: 'PostReferralMessage', referralId, messageId: randomUUID(), personal: { text: 'hello?' } },
        ),
      ).rejects.toMatchObject({ code: 'GONE' });
    });

    it('rebuilds the same read models from the log', async () => {
      const clientId = await registerAmira();
      await app.sendReferral(
        { actor: officerA },
        { referralId: randomUUID(), clientId, serviceId: HOUSING_AT_B, share: ['needs'] },
      );
      await project();
      const before = await clientOverview(db, clientId);
      const terms = await db.query('SELECT * FROM rf_client_terms ORDER BY client_id, field, term');
      for (const table of ['rf_clients', 'rf_client_orgs', 'rf_client_terms', 'rf_consents', 'rf_referrals'])
        await db.execute(`DELETE FROM ${table}`);
      await db.execute(`DELETE FROM estia_checkpoints`);
      expect(await project()).toBeGreaterThan(0);
      expect(await clientOverview(db, clientId)).toEqual(before);
      expect(await db.query('SELECT * FROM rf_client_terms ORDER BY client_id, field, term')).toEqual(terms);
    });
  });
