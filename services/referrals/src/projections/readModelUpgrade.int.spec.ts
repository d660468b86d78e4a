import { randomBytes, randomUUID } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseKeyEncryptionKey } from '@estia/infra/crypto/keyEncryptionKey.js';
import { createSqlKeyStore } from '@estia/infra/crypto/sqlKeyStore.js';
import { createSqliteEventStore } from '@estia/infra/eventStore/sqlite/sqliteEventStore.js';
import { checkpointStore } from '@estia/infra/processors/checkpointStore.js';
import { ensureProcessorTables } from '@estia/infra/processors/schema.js';
import { catchUpProjections } from '@estia/infra/projections/catchUp.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import { afterAll, describe, expect, it } from 'vitest';
import { createBlindIndex } from '../application/blindIndex.js';
import { sealPersonalPart } from '../application/personalCodec.js';
import { READ_MODELS_CHECKPOINT, referralsReadModelProjection } from './readModelProjection.js';

/**
 * A data directory written by the first version of the service: its read model kept names and dates
 * of birth in plaintext (rf_client_index), its files were readable by everyone. Started by this
 * version it keeps working: the read models are rebuilt from the log, the old table and its bytes are
 * gone, the files are the owner's only.
 */
describe('an existing data directory of an earlier version', () => {
  const dir = mkdtempSync(join(tmpdir(), 'referrals-upgrade-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('is rebuilt into blind indexes, without the plaintext of version 1, and made owner-only', async () => {
    const clientId = randomUUID();
    const org = randomUUID();
    const kek = parseKeyEncryptionKey(randomBytes(32).toString('base64'));
    const v1Store = createSqliteEventStore({ path: join(dir, 'events.sqlite') });
    const v1Keys = await createSqliteDatabase({ path: join(dir, 'keys.sqlite') });
    const v1KeyStore = await createSqlKeyStore(v1Keys, { kek });
    const registered = {
      type: 'ClientRegistered',
      data: {
        clientId,
        registeredBy: { organisationId: org, userId: 'u' },
        registeredAt: '2025-01-01T00:00:00.000Z',
        duplicateReview: { candidates: [] },
        personal: {
          givenNames: 'Samira',
          familyName: 'Quraishiyya',
          dateOfBirth: '1987-06-21',
          nationalities: ['AF'],
          languages: [],
          legalStatus: { status: 'asylum_seeker' },
        },
      },
    };
    await v1Store.append(
      `client-${clientId}`,
      [{ ...registered, data: await sealPersonalPart(v1KeyStore, registered) }],
      { expectedVersion: 'no-stream' },
    );
    await v1Store.close();
    await v1Keys.close();

    // The read model as version 1 left it: plaintext index, its checkpoint past the event, mode 0644.
    const v1 = await createSqliteDatabase({ path: join(dir, 'read.sqlite') });
    await ensureProcessorTables(v1);
    await v1.execute(`CREATE TABLE rf_clients (client_id TEXT PRIMARY KEY, status TEXT NOT NULL,
      registered_by_org TEXT NOT NULL, registered_at TEXT NOT NULL, erased_at TEXT)`);
    await v1.execute(`CREATE TABLE rf_client_index (client_id TEXT PRIMARY KEY, given_names TEXT NOT NULL,
      family_name TEXT NOT NULL, other_names TEXT NOT NULL, date_of_birth TEXT NOT NULL, birth_year TEXT NOT NULL,
      nationalities TEXT NOT NULL)`);
    await v1.execute(`INSERT INTO rf_clients VALUES ($1, 'active', $2, '2025-01-01T00:00:00.000Z', NULL)`, [
      clientId,
      org,
    ]);
    await v1.execute(
      `INSERT INTO rf_client_index VALUES ($1, 'Samira', 'Quraishiyya', '[]', '1987-06-21', '1987', '["AF"]')`,
      [clientId],
    );
    await v1.transaction((tx) => checkpointStore.save(tx, 'referrals.read-models', 1));
    await v1.close();
    for (const file of ['read.sqlite', 'events.sqlite', 'keys.sqlite']) chmodSync(join(dir, file), 0o644);
    chmodSync(dir, 0o755);
    expect(readFileSync(join(dir, 'read.sqlite')).includes('Quraishiyya')).toBe(true);

    // This version starts on it.
    const store = createSqliteEventStore({ path: join(dir, 'events.sqlite') });
    const keysDb = await createSqliteDatabase({ path: join(dir, 'keys.sqlite') });
    const keyStore = await createSqlKeyStore(keysDb, { kek });
    const db = await createSqliteDatabase({ path: join(dir, 'read.sqlite') });
    const blindIndex = createBlindIndex(randomBytes(32));
    const projection = referralsReadModelProjection(keyStore, blindIndex);
    await projection.migrate(db);
    expect(await catchUpProjections(store, db, [projection])).toBeGreaterThan(0);
    expect(await checkpointStore.load(db, READ_MODELS_CHECKPOINT)).toBeGreaterThan(0);

    const tables = await db.query<{ name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'");
    expect(tables.map((t) => t.name)).not.toContain('rf_client_index');
    expect(await db.query('SELECT client_id FROM rf_clients')).toEqual([{ client_id: clientId }]);
    const terms = await db.query<{ term: string }>('SELECT term FROM rf_client_terms WHERE client_id = $1', [clientId]);
    expect(terms.map((t) => t.term)).toContain(blindIndex.term('tok:quraishiyya'));
    expect(terms.map((t) => t.term)).toContain(blindIndex.term('dob:1987-06-21'));

    await db.close();
    await store.close();
    await keysDb.close();
    const bytes = readFileSync(join(dir, 'read.sqlite'));
    for (const plaintext of ['Quraishiyya', 'Samira', '1987-06-21'])
      expect(bytes.includes(plaintext), plaintext).toBe(false);
    for (const file of ['read.sqlite', 'events.sqlite', 'keys.sqlite'])
      expect((statSync(join(dir, file)).mode & 0o777).toString(8), file).toBe('600');
    expect((statSync(dir).mode & 0o777).toString(8)).toBe('700');
  });
});
