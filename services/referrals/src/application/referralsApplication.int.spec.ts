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
    const project = () => catchUpProjections(store, db, [referralsReadModelProjection(keyStore)]);

    beforeEach(async () => {
      dir = mkdtempSync(join(tmpdir(), 'referrals-app-'));
      store = createSqliteEventStore({ path: join(dir, 'events.sqlite') });
      ({ db, keysDb, drop } = await open(dir));
      // As in production: keys on their own connection (the projection opens keys inside its transaction).
      keyStore = await createSqlKeyStore(keysDb, { kek: parseKeyEncryptionKey(randomBytes(32).toString('base64')) });
      clock = new Date('2025-06-01T10:00:00.000Z');
      app = createReferralsApplication({ store, db, keyStore, clock: () => clock });
      await referralsReadModelProjection(keyStore).migrate(db);
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

    it('finds a likely duplicate across spellings and lets the officer confirm a new client', async () => {
      await registerAmira();
      const lookalike = { ...amira, givenNames: 'Ameera', familyName: 'Al-Haddad' };
      await expect(
        app.registerClient({ actor: officerC }, { clientId: randomUUID(), personal: lookalike }),
      ).rejects.toMatchObject({
        code: 'BUSINESS_RULE_VIOLATED',
        extensions: { candidates: [expect.objectContaining({ score: expect.any(Number) })] },
      });
      const confirmed = await app.registerClient(
        { actor: officerC },
        { clientId: randomUUID(), personal: lookalike, confirmedNew: true },
      );
      expect(confirmed.events[0]!.type).toBe('ClientRegistered');
    });

    it('links another organisation to an existing client only when its data matches', async () => {
      const clientId = await registerAmira();
      const stranger = {
        ...amira,
        givenNames: 'Olena',
        familyName: 'Koval',
        dateOfBirth: '1975-01-30',
        nationalities: ['UA'],
      };
      await expect(app.linkRegistration({ actor: officerC }, { clientId, personal: stranger })).rejects.toMatchObject({
        code: 'FORBIDDEN',
      });
      await app.linkRegistration({ actor: officerC }, { clientId, personal: { ...amira, givenNames: 'Ameera' } });
      await project();
      expect(await clientAccess(db, ORG_C, clientId, clock.toISOString())).toMatchObject({
        allowed: true,
        basis: 'registered',
      });
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
      expect(await countsByStatus(db, ORG_B)).toEqual({ received: { completed: 1 }, sent: {} });
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
      ).rejects.toMatchObject({ code: 'FORBIDDEN' });
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
      expect(await expireOverdue(app, db, '2025-06-03T10:00:00.000Z')).toEqual([later]);
      await project();
      expect(await countsByStatus(db, ORG_A)).toEqual({ received: {}, sent: { accepted: 1, expired: 1, rejected: 1 } });
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
      expect(await db.query('SELECT client_id FROM rf_client_index WHERE client_id = $1', [clientId])).toHaveLength(1);

      await expect(app.eraseClient({ actor: officerA }, { clientId })).rejects.toMatchObject({ code: 'FORBIDDEN' });
      await app.eraseClient({ actor: adminA }, { clientId });
      await project();

      expect((await keyStore.getKey(clientId))?.status).toBe('erased');
      expect(await db.query('SELECT * FROM rf_client_index WHERE client_id = $1', [clientId])).toEqual([]);
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
      for (const table of ['rf_clients', 'rf_client_orgs', 'rf_client_index', 'rf_consents', 'rf_referrals'])
        await db.execute(`DELETE FROM ${table}`);
      await db.execute(`DELETE FROM estia_checkpoints`);
      expect(await project()).toBeGreaterThan(0);
      expect(await clientOverview(db, clientId)).toEqual(before);
    });
  });
