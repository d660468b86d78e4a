import type { Projection } from '@estia/infra/projections/projection.js';
import type { MatchEngine } from '../matching/matchEngine.js';
import { PROJECTED_INDEXES, PROJECTED_TABLES, migrateMatchingTables } from './tables.js';
import { syncMany } from './engineSync.js';
import { applyInRounds, applyOneByOne } from './applyWrites.js';
import { foldWrites } from './foldWrites.js';
import { knownEntries } from './knownEntries.js';
import { rowWriteOf, type RowWrite } from './rowWrites.js';

/** The opportunities and candidates a batch wrote: the engine takes their rows once, as the batch leaves them. */
interface Touched {
  opportunities: string[];
  candidates: string[];
}

/**
 * One projection for opportunities, candidates and applications, so the three tables always stand at the
 * same position of the log; it also keeps the in-memory match engine current (the engine is rebuilt from
 * these tables at start, see loadEngine.ts, so a restart gives the same engine).
 */
/** The read models' projection (and checkpoint) name. */
export const MATCHING_READ_MODELS = 'matching.read-models.v1';

export const matchingReadModels = (engine: MatchEngine): Projection => ({
  name: MATCHING_READ_MODELS,
  batchWrites: true,
  deferredIndexes: PROJECTED_INDEXES,
  async migrate(db) {
    await migrateMatchingTables(db);
  },
  async reset(tx) {
    const opps = await tx.query<{ opportunity_id: string }>('SELECT opportunity_id FROM matching_opportunities');
    for (const o of opps) engine.removeOpportunity(o.opportunity_id);
    const cands = await tx.query<{ client_id: string }>('SELECT client_id FROM matching_candidates');
    for (const c of cands) engine.removeCandidate(c.client_id);
    for (const table of PROJECTED_TABLES) await tx.execute(`DELETE FROM ${table}`);
  },
  async handle(tx, events) {
    const touched: Touched = { opportunities: [], candidates: [] };
    const planned: RowWrite[] = [];
    for (const stored of events) {
      const p = rowWriteOf(stored);
      if (p === undefined) continue;
      planned.push(p.write);
      if (p.opportunity !== undefined) touched.opportunities.push(p.opportunity);
      if (p.candidate !== undefined) touched.candidates.push(p.candidate);
    }
    // A rebuild's batch holds a candidate's consent, legal status and profile, an application's whole
    // pipeline: folded, each row is written once instead of once per event (PostgreSQL keeps a row
    // version per UPDATE).
    const writes = foldWrites(planned);
    if (tx.dialect === 'postgres') await applyInRounds(tx, writes);
    else await applyOneByOne(tx, writes);
    // The engine takes each touched row once, as the batch leaves it, in the batch's transaction.
    await syncMany(tx, engine, touched, knownEntries(writes));
  },
});
