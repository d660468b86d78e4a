import { execFileSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { parseKeyEncryptionKey } from '@estia/infra/crypto/keyEncryptionKey.js';
import { createSqlKeyStore } from '@estia/infra/crypto/sqlKeyStore.js';
import { createPostgresEventStore } from '@estia/infra/eventStore/postgres/postgresEventStore.js';
import type { EventStore } from '@estia/infra/eventStore/types.js';
import { catchUpProjections } from '@estia/infra/projections/catchUp.js';
import { createPostgresDatabase } from '@estia/infra/sql/postgresDatabase.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { PG_URL, dropSchema, postgresAvailable, randomSchemaName } from '@estia/infra/testing/postgres.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createBlindIndex } from '../application/blindIndex.js';
import { createReferralsApplication } from '../application/referralsApplication.js';
import type { Actor } from '../domain/shared/actor.js';
import { searchQuery } from '../domain/clients/searchTerms.js';
import { caseloadPage } from '../projections/clientSearch.js';
import { referralsReadModelProjection } from '../projections/readModelProjection.js';
import { applyRegistryFacts, membershipChanged } from '../testing/registryEvents.js';

const available = await postgresAvailable();

/**
 * Production shape: event store, read models and key store in PostgreSQL. A dump of all three schemas
 * (what a backup, a replica or a stolen disk holds) names no live client: the log holds ciphertext,
 * the read models blind indexes, the key store wrapped keys.
 */
describe.skipIf(!available)('no plaintext personal data at rest in PostgreSQL', () => {
  const schema = randomSchemaName('atrest');
  const schemas = [schema, `${schema}_keys`, `${schema}_events`];
  let store: EventStore;
  let db: SqlDatabase;
  let keysDb: SqlDatabase;
  const org = randomUUID();
  const officer: Actor = { organisationId: org, userId: 'u-1', roles: ['referral_officer'] };
  const person = {
    givenNames: 'Zeynep Arzu',
    familyName: 'Karaosmanoglu',
    otherNames: ['Karaosmanoğlu'],
    dateOfBirth: '1969-08-17',
    nationalities: ['TR'],
    languages: [{ language: 'tr', level: 'C2' }],
    contact: { phone: '+30 694 117 2291' },
    legalStatus: { status: 'asylum_seeker', applicationDate: '2024-10-02' },
  };

  beforeAll(async () => {
    store = await createPostgresEventStore({ connectionString: PG_URL, schema: `${schema}_events` });
    db = await createPostgresDatabase({ url: PG_URL, schema, max: 2 });
    keysDb = await createPostgresDatabase({ url: PG_URL, schema: `${schema}_keys`, max: 2 });
  });
  afterAll(async () => {
    await store?.close();
    await db?.close();
    await keysDb?.close();
    for (const s of schemas) await dropSchema(s);
  });

  it('a dump of the event store, read models and key store holds neither the name nor the date of birth', async () => {
    const keyStore = await createSqlKeyStore(keysDb, {
      kek: parseKeyEncryptionKey(randomBytes(32).toString('base64')),
    });
    const blindIndex = createBlindIndex(randomBytes(32));
    const projection = referralsReadModelProjection(keyStore, blindIndex);
    await projection.migrate(db);
    await applyRegistryFacts(db, [membershipChanged(org)]);
    const app = createReferralsApplication({ store, db, keyStore, blindIndex });
    const clientId = randomUUID();
    await app.registerClient({ actor: officer }, { clientId, personal: person as never });
    await app.needsCommand(
      { actor: officer },
      {
        type: 'AssessNeed',
        clientId,
        needId: randomUUID(),
        assessmentId: randomUUID(),
        category: 'legal',
        priority: 'high',
      },
    );
    await catchUpProjections(store, db, [projection]);

    // The person is still found, through the blind indexes.
    for (const q of ['karaosmanoglu zeynep', person.dateOfBirth]) {
      const page = await caseloadPage(
        db,
        org,
        new Date().toISOString(),
        searchQuery(q)!.allOf.map((g) => g.map(blindIndex.term)),
        {
          limit: 10,
        },
      );
      expect(
        page.items.map((i) => i.clientId),
        q,
      ).toEqual([clientId]);
    }

    const url = new URL(PG_URL);
    const dump = execFileSync(
      'pg_dump',
      [
        '--no-owner',
        ...schemas.flatMap((s) => ['--schema', s]),
        '--host',
        url.hostname,
        '--port',
        url.port || '5432',
        '--username',
        decodeURIComponent(url.username || 'postgres'),
        url.pathname.slice(1),
      ],
      {
        encoding: 'utf8',
        maxBuffer: 64 * 1024 * 1024,
        env: { ...process.env, PGPASSWORD: decodeURIComponent(url.password) },
      },
    );
    expect(dump).toContain('rf_client_terms');
    expect(dump).toContain(clientId);
    for (const value of ['Karaosmanoglu', 'Karaosmanoğlu', 'Zeynep', person.dateOfBirth, '694 117', '2024-10-02'])
      expect(dump.includes(value), value).toBe(false);
  });
});
