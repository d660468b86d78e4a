import { randomBytes, randomUUID } from 'node:crypto';
import { parseKeyEncryptionKey } from '@estia/infra/crypto/keyEncryptionKey.js';
import type { KeyStore } from '@estia/infra/crypto/keyStore.js';
import { createSqlKeyStore } from '@estia/infra/crypto/sqlKeyStore.js';
import { createPostgresEventStore } from '@estia/infra/eventStore/postgres/postgresEventStore.js';
import type { EventStore } from '@estia/infra/eventStore/types.js';
import { createPostgresDatabase } from '@estia/infra/sql/postgresDatabase.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { PG_URL, dropSchema, postgresAvailable, randomSchemaName } from '@estia/infra/testing/postgres.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sealPersonalPart } from '../application/personalCodec.js';
import { loadCaseHistory } from './caseHistory.js';
import { verifyCase } from './verifyCase.js';

const available = await postgresAvailable();

describe.skipIf(!available)('case history and chain verification on PostgreSQL', () => {
  const schema = randomSchemaName('audit');
  let store: EventStore;
  let keysDb: SqlDatabase;
  let keyStore: KeyStore;
  const clientId = randomUUID();
  const referralId = randomUUID();
  const by = { organisationId: randomUUID(), userId: 'u1' };

  beforeAll(async () => {
    store = await createPostgresEventStore({ connectionString: PG_URL, schema: `${schema}_events` });
    keysDb = await createPostgresDatabase({ url: PG_URL, schema: `${schema}_keys` });
    keyStore = await createSqlKeyStore(keysDb, { kek: parseKeyEncryptionKey(randomBytes(32).toString('base64')) });
    const registered = {
      type: 'ClientRegistered',
      data: {
        clientId,
        registeredBy: by,
        registeredAt: '2025-01-01T00:00:00.000Z',
        duplicateReview: { candidates: [] },
        personal: { familyName: 'Pgname' },
      },
    };
    await store.append(
      `client-${clientId}`,
      [
        {
          ...registered,
          data: await sealPersonalPart(keyStore, registered),
          metadata: { actor: by, correlationId: 'c1' },
        },
      ],
      {
        expectedVersion: 'no-stream',
      },
    );
    await store.append(
      `referral-${referralId}`,
      [
        {
          type: 'ReferralRequested',
          data: {
            referralId,
            clientId,
            senderOrganisationId: by.organisationId,
            receiverOrganisationId: randomUUID(),
            category: 'housing',
            share: [],
            by,
            at: '2025-01-02T00:00:00.000Z',
            respondBy: '2025-01-05T00:00:00.000Z',
            consentBasis: { kind: 'consent', consentId: randomUUID() },
            flaggedForReporting: false,
          },
          metadata: { actor: by, causationId: 'c1' },
        },
      ],
      { expectedVersion: 'no-stream' },
    );
  });
  afterAll(async () => {
    await store?.close();
    await keysDb?.close();
    await dropSchema(`${schema}_events`);
    await dropSchema(`${schema}_keys`);
  });

  it('replays in order with the opened personal part, verifies, and reports a tampered row', async () => {
    const history = await loadCaseHistory(store, keyStore, clientId);
    expect(history?.events.map((e) => [e.type, e.organisationId])).toEqual([
      ['ClientRegistered', by.organisationId],
      ['ReferralRequested', by.organisationId],
    ]);
    expect(history?.events[0]?.personal).toEqual({ status: 'open', data: { familyName: 'Pgname' } });
    expect(history?.events[1]?.causationId).toBe('c1');
    expect((await verifyCase(store, clientId))?.ok).toBe(true);

    const raw = await createPostgresDatabase({ url: PG_URL, schema: `${schema}_events` });
    await raw.execute(`UPDATE events SET data = replace(data, 'housing', 'legal') WHERE stream_id = $1`, [
      `referral-${referralId}`,
    ]);
    await raw.close();
    const broken = await verifyCase(store, clientId);
    expect(broken?.ok).toBe(false);
    expect(broken?.chains.find((c) => !c.ok)).toMatchObject({ streamId: `referral-${referralId}`, brokenAt: 0 });
  });
});
