import { randomBytes, randomUUID } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqlKeyStore } from '@estia/infra/crypto/sqlKeyStore.js';
import { createPostgresEventStore } from '@estia/infra/eventStore/postgres/postgresEventStore.js';
import { createSqliteEventStore } from '@estia/infra/eventStore/sqlite/sqliteEventStore.js';
import type { EventStore } from '@estia/infra/eventStore/types.js';
import { masterKeyRing, parseKeyEncryptionKey, type MasterKeyRing } from '@estia/infra/crypto/keyEncryptionKey.js';
import { createPostgresDatabase } from '@estia/infra/sql/postgresDatabase.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { PG_URL, dropSchema, postgresAvailable, randomSchemaName } from '@estia/infra/testing/postgres.js';
import { afterAll, describe, expect, it } from 'vitest';
import { loadClientProfile } from '../application/clientProfile.js';
import { readMasterKeyFile } from '../application/masterKey.js';
import { createBlindIndex } from '../application/blindIndex.js';
import { createReferralsApplication } from '../application/referralsApplication.js';
import { ensureReferralsReadModels } from '../projections/schema.js';
import { applyRegistryFacts, membershipChanged } from '../testing/registryEvents.js';
import { runKeysCli } from './keysCli.js';

const ORG = randomUUID();
const officer = { organisationId: ORG, userId: 'officer-1', roles: ['referral_officer' as const] };
const pgUp = await postgresAvailable();
const newKeyBase64 = () => randomBytes(32).toString('base64');

const run = async (argv: string[], env: Record<string, string>) => {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runKeysCli(argv, env, { out: (l) => void out.push(l), err: (l) => void err.push(l) });
  return { code, out, err };
};

/** Registers clients with personal data through the real application; returns their ids. */
const registerClients = async (store: EventStore, keysDb: SqlDatabase, ring: MasterKeyRing, n: number) => {
  const db = await createSqliteDatabase({ path: ':memory:' });
  await ensureReferralsReadModels(db);
  await applyRegistryFacts(db, [membershipChanged(ORG)]);
  const keyStore = await createSqlKeyStore(keysDb, { kek: ring });
  const app = createReferralsApplication({ store, db, keyStore, blindIndex: createBlindIndex(randomBytes(32)) });
  const ids: string[] = [];
  for (let i = 0; i < n; i++) {
    const clientId = randomUUID();
    await app.registerClient(
      { actor: officer },
      {
        clientId,
        confirmedNew: true,
        personal: {
          givenNames: `Person ${i}`,
          familyName: 'Rotated',
          dateOfBirth: '1990-01-01',
          nationalities: ['SY'],
          languages: [{ language: 'ar', level: 'C2' }],
          legalStatus: { status: 'asylum_seeker', applicationDate: '2025-01-01' },
        } as never,
      },
    );
    ids.push(clientId);
  }
  await app.eraseClient(
    { actor: { ...officer, userId: 'dpo-1', roles: ['data_protection_officer'] } },
    { clientId: ids[0]!, reason: { code: 'data_subject_request' } },
  );
  await db.close();
  return ids;
};

/** Every stored event as bytes: what the chain hashes. A rotation must not change one. */
const logBytes = async (store: EventStore) => JSON.stringify(await store.readAll());

const opensEveryone = async (store: EventStore, keysDb: SqlDatabase, ring: MasterKeyRing, ids: string[]) => {
  const keyStore = await createSqlKeyStore(keysDb, { kek: ring });
  for (const clientId of ids.slice(1)) {
    const profile = await loadClientProfile(store, keyStore, clientId);
    expect(profile?.familyName).toBe('Rotated');
  }
};

describe('pnpm run keys (embedded: SQLite key store, key file)', () => {
  const dataDir = mkdtempSync(join(tmpdir(), 'referrals-keys-'));
  const dir = join(dataDir, 'referrals');
  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('rotate re-wraps every client key under a new version, retire forgets the old one, events stay byte for byte', async () => {
    mkdirSync(dir, { recursive: true });
    const file = join(dir, 'master.key');
    writeFileSync(file, `${newKeyBase64()}\n`, { mode: 0o600 });
    const original = readMasterKeyFile(file);
    const store = createSqliteEventStore({ path: join(dir, 'events.sqlite') });
    const keysDb = await createSqliteDatabase({ path: join(dir, 'keys.sqlite') });
    try {
      const ids = await registerClients(store, keysDb, original, 12);
      const before = await logBytes(store);
      const env = { DATA_DIR: dataDir };

      const rotated = await run(['rotate'], env);
      expect(rotated.code, rotated.err.join('\n')).toBe(0);
      const ring = readMasterKeyFile(file);
      expect(ring.current.id).not.toBe(original.current.id);
      expect(ring.previous.map((k) => k.id)).toEqual([original.current.id]);
      expect(rotated.out).toContain(`re-wrapping client keys: 11/11`);
      expect(rotated.out).toContain(
        `master key ${original.current.id} is no longer used: pnpm run keys retire ${original.current.id}`,
      );
      expect((await run(['status'], env)).out).toEqual([
        `master key ${ring.current.id}  current         11 client key(s)`,
        `master key ${original.current.id}  previous        0 client key(s)`,
      ]);

      expect((await run(['retire', ring.current.id], env)).code).toBe(1);
      const retired = await run(['retire', original.current.id], env);
      expect(retired.code, retired.err.join('\n')).toBe(0);
      expect(readFileSync(file, 'utf8').trim().split('\n')).toHaveLength(1);
      expect(statSync(file).mode & 0o777).toBe(0o600);

      // Only the new master key is left, and every client opens with it.
      await opensEveryone(store, keysDb, readMasterKeyFile(file), ids);
      expect(await logBytes(store)).toBe(before);
      expect((await store.verifyStream(`client-${ids[1]}`)).ok).toBe(true);
    } finally {
      await store.close();
      await keysDb.close();
    }
  });

  it('refuses to retire a version still in use, and explains bad arguments', async () => {
    const file = join(dir, 'master.key');
    const inUse = readMasterKeyFile(file).current.id;
    writeFileSync(file, `${readFileSync(file, 'utf8').trim()}\n${newKeyBase64()}\n`, { mode: 0o600 });
    const refused = await run(['retire', inUse], { DATA_DIR: dataDir });
    expect(refused.code).toBe(1);
    expect(refused.err[0]).toMatch(/still wraps 11 client key\(s\)/);
    expect((await run(['retire'], { DATA_DIR: dataDir })).code).toBe(2);
    expect((await run(['spin'], { DATA_DIR: dataDir })).err[0]).toBe('unknown command spin');
    expect((await run(['status'], { DATA_DIR: join(dataDir, 'nowhere') })).code).toBe(2);
  });
});

describe.skipIf(!pgUp)('pnpm run keys (PostgreSQL key store, keys from the environment)', () => {
  const schema = randomSchemaName('rotate');
  afterAll(async () => {
    for (const s of [schema, `${schema}_keys`, `${schema}_events`]) await dropSchema(s);
  });

  it('with the new key current and the old one previous, rotate moves every key; the old one can then be retired', async () => {
    const oldKey = newKeyBase64();
    const newKey = newKeyBase64();
    const store = await createPostgresEventStore({ connectionString: PG_URL, schema: `${schema}_events` });
    const keysDb = await createPostgresDatabase({ url: PG_URL, schema: `${schema}_keys`, max: 2 });
    try {
      const ids = await registerClients(store, keysDb, masterKeyRing(parseKeyEncryptionKey(oldKey)), 8);
      const before = await logBytes(store);
      const env = { PG_URL, PG_SCHEMA: schema, KEY_ENCRYPTION_KEY: newKey, KEY_ENCRYPTION_KEYS_PREVIOUS: oldKey };
      const rotated = await run(['rotate'], env);
      expect(rotated.code, rotated.err.join('\n')).toBe(0);
      expect(rotated.out).toContain('re-wrapping client keys: 7/7');
      const oldId = parseKeyEncryptionKey(oldKey).id;
      const retired = await run(['retire', oldId], env);
      expect(retired.out).toEqual([
        `no client key uses master key ${oldId}: remove it from KEY_ENCRYPTION_KEYS_PREVIOUS and destroy it`,
      ]);
      await opensEveryone(store, keysDb, masterKeyRing(parseKeyEncryptionKey(newKey)), ids);
      expect(await logBytes(store)).toBe(before);
    } finally {
      await store.close();
      await keysDb.close();
    }
  });
});
