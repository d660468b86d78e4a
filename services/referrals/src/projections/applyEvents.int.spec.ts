import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { StoredEvent } from '@estia/infra/eventStore/types.js';
import { readModelContents } from '@estia/infra/projections/readModelContents.js';
import { writeBatch } from '@estia/infra/projections/writeBatch.js';
import { createPostgresDatabase } from '@estia/infra/sql/postgresDatabase.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { PG_URL, dropSchema, postgresAvailable, randomSchemaName } from '@estia/infra/testing/postgres.js';
import { afterAll, describe, expect, it } from 'vitest';
import { applyEvents } from './applyEvents.js';
import { applyEvent } from './referralsProjector.js';
import { ensureReferralsReadModels } from './schema.js';

/**
 * The folded sendings are upserts rather than inserts of referrals known to be new: a referral already
 * in the table (its sending seen again, in a later batch or the same one) must come out of a batch
 * exactly as applying its events one at a time leaves it.
 */
const available = await postgresAvailable();

const event = (type: string, referralId: string, at: string, extra: Record<string, unknown> = {}): StoredEvent =>
  ({ type, data: { referralId, at, ...extra } }) as unknown as StoredEvent;
const sent = (referralId: string, at: string) =>
  event('ReferralRequested', referralId, at, {
    clientId: `client-${referralId}`,
    senderOrganisationId: 's',
    receiverOrganisationId: 'r',
    category: 'housing',
    share: ['needs'],
    consentBasis: { kind: 'consent', consentId: 'k' },
    respondBy: '2026-06-01T00:00:00.000Z',
  });
const day = (n: number) => `2026-05-${String(n).padStart(2, '0')}T00:00:00.000Z`;

const batches: StoredEvent[][] = [
  [sent('a', day(1)), sent('c', day(1)), event('ReferralAccepted', 'c', day(2))],
  [
    sent('a', day(3)),
    event('ReferralAccepted', 'a', day(4)),
    event('ReferralStarted', 'a', day(5)),
    sent('b', day(3)),
    event('ReferralAccepted', 'b', day(4)),
    event('ReferralPutOnHold', 'b', day(5), { reasonCode: 'waiting' }),
    event('ReferralCompleted', 'b', day(6), { outcome: 'need_met' }),
    event('ReferralStarted', 'c', day(3)),
    sent('c', day(4)),
    event('ReferralCompleted', 'c', day(5), { outcome: 'need_met' }),
    sent('d', day(6)),
    sent('b', day(7)),
    event('ReferralFailed', 'b', day(8), { reasonCode: 'no_show' }),
  ],
];

describe('applyEvents on referrals already in the table', () => {
  const dir = mkdtempSync(join(tmpdir(), 'referrals-apply-'));
  const schemas: string[] = [];
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    for (const schema of schemas) await dropSchema(schema);
  });

  const compare = async (open: (name: string) => Promise<SqlDatabase>) => {
    const oneByOne = await open('one_by_one');
    const batched = await open('batched');
    for (const db of [oneByOne, batched]) await ensureReferralsReadModels(db);
    for (const events of batches) {
      await oneByOne.transaction(async (tx) => {
        for (const e of events) await applyEvent(tx, { event: e });
      });
      await batched.transaction(async (tx) => {
        const batch = writeBatch(tx);
        await applyEvents(
          batch,
          events.map((e) => ({ event: e })),
        );
        await batch.flush();
      });
    }
    const expected = await readModelContents(oneByOne, ['rf_referrals']);
    expect(expected.rf_referrals!.map((r) => (r as { status: string }).status)).toEqual([
      'in-progress',
      'failed',
      'completed',
      'requested',
    ]);
    expect(await readModelContents(batched, ['rf_referrals'])).toEqual(expected);
    await Promise.all([oneByOne.close(), batched.close()]);
  };

  it('leaves the rows applying them one by one leaves (SQLite)', () =>
    compare((name) => createSqliteDatabase({ path: join(dir, `${name}.sqlite`) })));

  it.skipIf(!available)('leaves the rows applying them one by one leaves (PostgreSQL)', () =>
    compare((name) => {
      const schema = randomSchemaName(`rf_apply_${name}`);
      schemas.push(schema);
      return createPostgresDatabase({ url: PG_URL, schema, max: 2 });
    }),
  );
});
