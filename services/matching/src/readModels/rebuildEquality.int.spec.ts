import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteEventStore } from '@estia/infra/eventStore/sqlite/sqliteEventStore.js';
import type { EventStore } from '@estia/infra/eventStore/types.js';
import { catchUpProjections } from '@estia/infra/projections/catchUp.js';
import { startProjector } from '@estia/infra/projections/projector.js';
import { readModelContents } from '@estia/infra/projections/readModelContents.js';
import { createPostgresDatabase } from '@estia/infra/sql/postgresDatabase.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import type { SqlDatabase } from '@estia/infra/sql/types.js';
import { PG_URL, dropSchema, postgresAvailable, randomSchemaName } from '@estia/infra/testing/postgres.js';
import { afterAll, describe, expect, it } from 'vitest';
import { matchingRebuild } from '../../bench/rebuildMatching.js';
import { loadEsco } from '../esco/loadEsco.js';
import { MatchEngine, type MatchQuery } from '../matching/matchEngine.js';
import { eventByEventReadModels } from './eventByEvent.js';
import { matchingReadModels } from './readModelProjection.js';
import { PROJECTED_TABLES } from './tables.js';

const available = await postgresAvailable();

/**
 * A rebuild (catch-up from the first event, in batches, each row's writes folded into one, the engine
 * synced once per batch from what the writes leave known) leaves the tables and the engine that applying
 * the same log one event at a time leaves (eventByEvent.ts, on SQLite, the reference written statement by
 * statement). On PostgreSQL the batches go as set-based statements per round (applyWrites.ts).
 */
describe('the rebuilt matching read models', () => {
  const dir = mkdtempSync(join(tmpdir(), 'matching-rebuild-'));
  const schemas: string[] = [];
  afterAll(async () => {
    rmSync(dir, { recursive: true, force: true });
    for (const schema of schemas) await dropSchema(schema);
  });
  const esco = loadEsco();

  /** The bench's log, and after it the rarer writes: a second follow-up, a job ended, a renewal… */
  const seeded = async (name: string) => {
    const store = createSqliteEventStore({ path: join(dir, `${name}-events.sqlite`) });
    await matchingRebuild.seed(store, 900);
    const at = '2026-11-11T00:00:00.000Z';
    const by = { organisationId: 'o', userId: 'u' };
    const [firstCandidate, secondCandidate] = await store.readAll({ types: ['MatchingConsentRecorded'], maxCount: 2 });
    const { clientId } = firstCandidate!.data as { clientId: string };
    const renewed = secondCandidate!.data as { clientId: string; consentId: string };
    const [firstOpportunity] = await store.readAll({ types: ['OpportunityPublished'], maxCount: 1 });
    const published = firstOpportunity!.data as { opportunityId: string };
    const { opportunityId } = published;
    const [hired] = await store.readAll({ types: ['Hired'], maxCount: 1 });
    const { applicationId } = hired!.data as { applicationId: string };
    await store.append('withdrawals', [
      { type: 'MatchingConsentWithdrawn', data: { clientId, consentId: 'c', at } },
      { type: 'OpportunityClosed', data: { opportunityId, by, at, reason: 'x' } },
      { type: 'FollowUpRecorded', data: { applicationId, by, at, month: 6, stillEmployed: false } },
      { type: 'FollowUpDue', data: { applicationId, month: 9 } },
      { type: 'FollowUpRecorded', data: { applicationId, by, at, month: 9, stillEmployed: true } },
      { type: 'OpportunityPositionTaken', data: { opportunityId, applicationId } },
      { type: 'MatchingConsentRecorded', data: { ...renewed, scope: ['profile', 'legal_status_dates'], at } },
      { type: 'OpportunityPublished', data: { ...published, publishedAt: at } },
    ]);
    return { store, clientId, opportunityId };
  };

  /** The read models built one event at a time on SQLite, the reference. */
  const oneByOne = async (store: EventStore, name: string) => {
    const engine = new MatchEngine(esco);
    const db = await createSqliteDatabase({ path: join(dir, `${name}-one-by-one.sqlite`) });
    const projector = await startProjector({ store, db, projections: [eventByEventReadModels(engine)], batchSize: 1 });
    await projector.caughtUp;
    await projector.stop();
    return { engine, db };
  };

  const compare = async (name: string, open: () => Promise<SqlDatabase>) => {
    const { store, clientId, opportunityId } = await seeded(name);
    const reference = await oneByOne(store, name);
    const rebuiltEngine = new MatchEngine(esco);
    const rebuilt = await open();
    await catchUpProjections(store, rebuilt, [matchingReadModels(rebuiltEngine)], 100);

    const expected = await readModelContents(reference.db, PROJECTED_TABLES);
    const actual = await readModelContents(rebuilt, PROJECTED_TABLES);
    expect(expected.matching_applications!.length).toBeGreaterThan(100);
    expect(expected.matching_applications).toContainEqual(
      expect.objectContaining({ follow_ups: '[3,6,9]', status: 'employment_ended' }),
    );
    // Tables row for row; the indexes as each dialect describes them, compared on one dialect below.
    for (const table of PROJECTED_TABLES) expect(actual[table], table).toEqual(expected[table]);
    if (rebuilt.dialect === 'sqlite') expect(actual.indexes).toEqual(expected.indexes);
    expect(rebuiltEngine.size).toEqual(reference.engine.size);
    expect(reference.engine.hasCandidate(clientId)).toBe(false);
    expect(rebuiltEngine.hasCandidate(clientId)).toBe(false);
    expect(rebuiltEngine.hasOpportunity(opportunityId)).toBe(true);
    const candidate = (expected.matching_candidates![0] as { client_id: string }).client_id;
    const query: MatchQuery = { asOf: '2026-11-10', limit: 10 };
    expect(rebuiltEngine.opportunitiesFor(candidate, query)).toEqual(
      reference.engine.opportunitiesFor(candidate, query),
    );
    await Promise.all([reference.db.close(), rebuilt.close(), store.close()]);
  };

  it('equal the ones built event by event, tables, indexes and engine (SQLite)', () =>
    compare('sqlite', () => createSqliteDatabase({ path: join(dir, 'sqlite-rebuilt.sqlite') })));

  it.skipIf(!available)('equal the ones built event by event, tables and engine (PostgreSQL)', () =>
    compare('postgres', () => {
      const schema = randomSchemaName('matching_rebuild');
      schemas.push(schema);
      return createPostgresDatabase({ url: PG_URL, schema, max: 2 });
    }),
  );

  it.skipIf(!available)('on PostgreSQL, have the indexes built event by event', async () => {
    const { store } = await seeded('postgres-indexes');
    const open = async () => {
      const schema = randomSchemaName('matching_rebuild');
      schemas.push(schema);
      return createPostgresDatabase({ url: PG_URL, schema, max: 2 });
    };
    const live = await open();
    const projector = await startProjector({
      store,
      db: live,
      projections: [matchingReadModels(new MatchEngine(esco))],
    });
    await projector.caughtUp;
    await projector.stop();
    const rebuilt = await open();
    await catchUpProjections(store, rebuilt, [matchingReadModels(new MatchEngine(esco))], 100);
    expect(await readModelContents(rebuilt, PROJECTED_TABLES)).toEqual(await readModelContents(live, PROJECTED_TABLES));
    await Promise.all([live.close(), rebuilt.close(), store.close()]);
  });
});
