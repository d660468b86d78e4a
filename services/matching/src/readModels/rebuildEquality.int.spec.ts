import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSqliteEventStore } from '@estia/infra/eventStore/sqlite/sqliteEventStore.js';
import { catchUpProjections } from '@estia/infra/projections/catchUp.js';
import { startProjector } from '@estia/infra/projections/projector.js';
import { readModelContents } from '@estia/infra/projections/readModelContents.js';
import { createSqliteDatabase } from '@estia/infra/sql/sqliteDatabase.js';
import { afterAll, describe, expect, it } from 'vitest';
import { matchingRebuild } from '../../bench/rebuildMatching.js';
import { loadEsco } from '../esco/loadEsco.js';
import { MatchEngine, type MatchQuery } from '../matching/matchEngine.js';
import { matchingReadModels } from './readModelProjection.js';
import { PROJECTED_TABLES } from './tables.js';

/**
 * A rebuild (catch-up from the first event, in batches, the engine synced once per batch) leaves the
 * tables and the engine that applying the same log one event at a time leaves.
 */
describe('the rebuilt matching read models', () => {
  const dir = mkdtempSync(join(tmpdir(), 'matching-rebuild-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('equal the ones built event by event, tables, indexes and engine', async () => {
    const esco = loadEsco();
    const store = createSqliteEventStore({ path: join(dir, 'events.sqlite') });
    await matchingRebuild.seed(store, 900);
    const at = '2026-11-11T00:00:00.000Z';
    const [firstCandidate] = await store.readAll({ types: ['MatchingConsentRecorded'], maxCount: 1 });
    const { clientId } = firstCandidate!.data as { clientId: string };
    const [firstOpportunity] = await store.readAll({ types: ['OpportunityPublished'], maxCount: 1 });
    const { opportunityId } = firstOpportunity!.data as { opportunityId: string };
    // A withdrawn consent and a closed opportunity leave the engine; the table rows go or change.
    await store.append('withdrawals', [
      { type: 'MatchingConsentWithdrawn', data: { clientId, consentId: 'c', at } },
      { type: 'OpportunityClosed', data: { opportunityId, by: { organisationId: 'o', userId: 'u' }, at, reason: 'x' } },
    ]);

    const oneByOneEngine = new MatchEngine(esco);
    const oneByOne = await createSqliteDatabase({ path: join(dir, 'one-by-one.sqlite') });
    const projector = await startProjector({
      store,
      db: oneByOne,
      projections: [matchingReadModels(oneByOneEngine)],
      batchSize: 1,
    });
    await projector.caughtUp;
    await projector.stop();
    const rebuiltEngine = new MatchEngine(esco);
    const rebuilt = await createSqliteDatabase({ path: join(dir, 'rebuilt.sqlite') });
    await catchUpProjections(store, rebuilt, [matchingReadModels(rebuiltEngine)], 100);

    const expected = await readModelContents(oneByOne, PROJECTED_TABLES);
    expect(expected.matching_applications!.length).toBeGreaterThan(100);
    expect(await readModelContents(rebuilt, PROJECTED_TABLES)).toEqual(expected);
    expect(rebuiltEngine.size).toEqual(oneByOneEngine.size);
    expect(oneByOneEngine.hasCandidate(clientId)).toBe(false);
    expect(rebuiltEngine.hasCandidate(clientId)).toBe(false);
    expect(rebuiltEngine.hasOpportunity(opportunityId)).toBe(false);
    const candidate = (expected.matching_candidates![0] as { client_id: string }).client_id;
    const query: MatchQuery = { asOf: '2026-11-10', limit: 10 };
    expect(rebuiltEngine.opportunitiesFor(candidate, query)).toEqual(oneByOneEngine.opportunitiesFor(candidate, query));
    await Promise.all([oneByOne.close(), rebuilt.close(), store.close()]);
  });
});
