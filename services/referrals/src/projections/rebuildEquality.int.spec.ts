import { randomBytes, randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseKeyEncryptionKey } from '@estia/infra/crypto/keyEncryptionKey.js';
import { createSqlKeyStore } from '@estia/infra/crypto/sqlKeyStore.js';
import { createSqliteEventStore } from '@estia/infra/eventStore/sqlite/sqliteEventStore.js';
import type { EventStore } from '@estia/infra/eventStore/types.js';
import { catchUpProjections } from '@estia/infra/projections/catchUp.js';
import type { Projection } from '@estia/infra/projections/projection.js';
import { startProjector } from '@estia/infra/projections/projector.js';
import { createPostgresDatabase } from '@estia/infra/sql/postgresDatabase.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { PG_URL, dropSchema, postgresAvailable, randomSchemaName } from '@estia/infra/testing/postgres.js';
import { readModelContents as contents } from '@estia/infra/projections/readModelContents.js';
import { afterAll, describe, expect, it } from 'vitest';
import { appendReferrals, referralTraffic } from '../../bench/referralEvents.js';
import { createBlindIndex } from '../application/blindIndex.js';
import { sealPersonalPart } from '../application/personalCodec.js';
import { remindersProjection } from '../deadlines/remindersProjection.js';
import { REMINDER_ISSUED } from '../deadlines/reminderEvents.js';
import { referralsReadModelProjection } from './readModelProjection.js';
import { READ_MODEL_TABLES } from './schema.js';

/**
 * A rebuild (catch-up from the first event, in batches, its secondary indexes created at the end) must
 * leave exactly the read model that applying the same log one event at a time leaves.
 */
const available = await postgresAvailable();

describe('a rebuilt read model', () => {
  const dir = mkdtempSync(join(tmpdir(), 'referrals-rebuild-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const seed = async (store: EventStore, keyStore: Awaited<ReturnType<typeof createSqlKeyStore>>) => {
    const traffic = referralTraffic(7);
    await appendReferrals(store, traffic, { referrals: 120 });
    const org = traffic.organisations[0]!;
    const clientId = randomUUID();
    const at = '2026-11-01T10:00:00.000Z';
    const by = { organisationId: org, userId: 'u' };
    const sealed = async (type: string, data: Record<string, unknown>) => ({
      type,
      data: await sealPersonalPart(keyStore, { type, data }),
    });
    await store.append(`client-${clientId}`, [
      await sealed('ClientRegistered', {
        clientId,
        registeredBy: by,
        registeredAt: at,
        duplicateReview: { candidates: [] },
        personal: { givenNames: 'Amal', familyName: 'Haddad', dateOfBirth: '1990-02-03', nationalities: ['SY'] },
      }),
      await sealed('ClientPersonalDataCorrected', {
        clientId,
        correctedBy: by,
        correctedAt: at,
        personal: { familyName: 'Haddad-Nour' },
      }),
    ]);
    // A referral that is put on hold and resumed, then the client's messages and erasure.
    const referralId = randomUUID();
    const route = {
      referralId,
      clientId,
      senderOrganisationId: org,
      receiverOrganisationId: traffic.organisations[1]!,
    };
    await store.append(`referral-${referralId}`, [
      {
        type: 'ReferralRequested',
        data: {
          ...route,
          category: 'housing',
          share: ['needs'],
          consentBasis: { kind: 'consent', consentId: randomUUID() },
          at,
          respondBy: at,
        },
      },
      { type: 'ReferralAccepted', data: { ...route, at } },
      { type: 'ReferralPutOnHold', data: { ...route, at, reasonCode: 'waiting' } },
      { type: 'ReferralPutOnHold', data: { ...route, at: '2026-11-02T00:00:00.000Z', reasonCode: 'again' } },
      { type: 'ReferralResumed', data: { ...route, at, resumedTo: 'accepted' } },
      await sealed('ReferralMessagePosted', { ...route, at, messageId: randomUUID(), by, personal: { text: 'hello' } }),
      await sealed(REMINDER_ISSUED, {
        reminderId: randomUUID(),
        clientId,
        organisationId: org,
        deadline: 'permit_expiry',
        thresholdDays: 30,
        issuedAt: at,
        personal: { dueDate: '2027-01-01' },
      }),
    ]);
    const other = traffic.sampledClients[0]!;
    await store.append(`client-${other}`, [
      {
        type: 'ClientErased',
        data: { clientId: other, erasedAt: at, erasedBy: by, reasonCode: 'request', notifiedOrganisationIds: [org] },
      },
    ]);
  };

  const compare = async (open: (name: string) => Promise<SqlDatabase>) => {
    const run = randomUUID();
    const store = createSqliteEventStore({ path: join(dir, `events-${run}.sqlite`) });
    const keys = await createSqliteDatabase({ path: join(dir, `keys-${run}.sqlite`) });
    const keyStore = await createSqlKeyStore(keys, { kek: parseKeyEncryptionKey(randomBytes(32).toString('base64')) });
    const blindIndex = createBlindIndex(randomBytes(32));
    await seed(store, keyStore);
    const projections = (): Projection[] => [
      referralsReadModelProjection(keyStore, blindIndex),
      remindersProjection(keyStore),
    ];
    const tables = [...READ_MODEL_TABLES, 'rf_reminders'];

    const oneByOne = await open('one_by_one');
    const projector = await startProjector({ store, db: oneByOne, projections: projections(), batchSize: 1 });
    await projector.caughtUp;
    await projector.stop();

    const rebuilt = await open('rebuilt');
    await catchUpProjections(store, rebuilt, projections(), 50);

    const expected = await contents(oneByOne, tables);
    expect(expected.rf_referrals!.length).toBeGreaterThan(100);
    expect(expected.rf_client_terms!.length).toBeGreaterThan(0);
    expect(expected.rf_reminders!.length).toBe(1);
    expect(await contents(rebuilt, tables)).toEqual(expected);
    await Promise.all([oneByOne.close(), rebuilt.close(), keys.close(), store.close()]);
  };

  it('equals the read model built event by event, on every table and index (SQLite)', () =>
    compare((name) => createSqliteDatabase({ path: join(dir, `${name}-${randomUUID()}.sqlite`) })));

  // PostgreSQL writes a batch in rounds (applyEvents.ts), SQLite one event at a time.
  const schemas: string[] = [];
  afterAll(async () => {
    for (const schema of schemas) await dropSchema(schema);
  });
  it.skipIf(!available)('equals the read model built event by event, on every table and index (PostgreSQL)', () =>
    compare((name) => {
      const schema = randomSchemaName(`rf_rebuild_${name}`);
      schemas.push(schema);
      return createPostgresDatabase({ url: PG_URL, schema, max: 2 });
    }),
  );
});
